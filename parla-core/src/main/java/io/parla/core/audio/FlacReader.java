package io.parla.core.audio;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * A complete FLAC decoder producing mono {@link Audio}: every subframe type, both Rice coding methods with
 * partitions and escape codes, wasted bits, all stereo decorrelation modes, bit depths 4 to 32 and up to eight
 * channels (averaged to mono). Frame header CRC-8 and frame CRC-16 are verified, and a stream that ends before
 * the sample count STREAMINFO declares is an error, so corruption never passes silently.
 *
 * <p>The whole file is read into memory first (FLAC is compressed, so this is smaller than the decoded audio);
 * the frames are then decoded from the array, which keeps the bit reader simple and its bounds checks cheap.
 * An ID3v2 tag in front of the stream, as some taggers write, is skipped.
 */
public final class FlacReader {
    private static final int MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    private static final int STREAMINFO = 0;
    private static final int INVALID_BLOCK_TYPE = 127;
    private static final int ID3V1_LENGTH = 128;

    private FlacReader() {}

    public static Audio read(Path file) {
        try (ByteSource source = ByteSource.open(file)) {
            return read(source.readAll(MAX_FILE_BYTES), source.name());
        }
    }

    /** Reads a whole stream; the caller keeps ownership of {@code in}. */
    public static Audio read(InputStream in, String nameForErrors) {
        return read(ByteSource.of(in, nameForErrors).readAll(MAX_FILE_BYTES), nameForErrors);
    }

    public static Audio read(byte[] bytes, String nameForErrors) {
        FlacBitReader in = new FlacBitReader(bytes, bytes.length, nameForErrors);
        FlacStreamInfo info = readMetadata(in, bytes, nameForErrors);
        long total = info.totalSamples();
        // Compressed FLAC rarely exceeds 16 samples per byte; the buffer grows if a file does.
        GrowableFloats out = new GrowableFloats(total > 0 ? Math.min(total, 16L * bytes.length) : 16L * bytes.length);
        FlacFrameDecoder frames = new FlacFrameDecoder(info, nameForErrors);
        while (total == 0 || out.size() < total) {
            if (in.bytesLeft() == 0) {
                if (total == 0) break;
                throw new AudioFormatException(nameForErrors, "truncated: STREAMINFO declares " + total
                        + " samples, the stream ends after " + out.size());
            }
            if (total == 0 && isId3v1Trailer(bytes, in.bytePosition())) break;
            frames.decode(in, out);
        }
        if (total > 0 && out.size() > total)
            throw new AudioFormatException(nameForErrors, "frames hold " + out.size()
                    + " samples, more than the " + total + " STREAMINFO declares");
        if (out.size() == 0) throw new AudioFormatException(nameForErrors, "empty audio (no samples)");
        return new Audio(out.toArray(), info.sampleRate());
    }

    /** Checks the signature, reads STREAMINFO and skips the other metadata blocks. */
    private static FlacStreamInfo readMetadata(FlacBitReader in, byte[] bytes, String name) {
        int start = Id3v2.length(bytes);
        if (bytes.length == 0) throw new AudioFormatException(name, "empty file");
        if (bytes.length < start + 4 || !hasMagic(bytes, start))
            throw new AudioFormatException(name, "not a FLAC file (no fLaC signature)");
        in.seek(start + 4);
        FlacStreamInfo info = null;
        boolean last = false;
        while (!last) {
            if (in.bytesLeft() < 4) throw new AudioFormatException(name, "truncated metadata block header");
            last = in.readBits(1) == 1;
            int type = in.readBits(7);
            int length = in.readBits(24);
            int bodyStart = in.bytePosition();
            if (length > in.bytesLeft())
                throw new AudioFormatException(name, "truncated metadata block (type " + type + ", " + length
                        + " bytes declared, " + in.bytesLeft() + " present)");
            if (type == INVALID_BLOCK_TYPE) throw new AudioFormatException(name, "invalid metadata block type 127");
            if (info == null) {
                if (type != STREAMINFO || length < FlacStreamInfo.LENGTH)
                    throw new AudioFormatException(name, "first metadata block is not a STREAMINFO block");
                info = FlacStreamInfo.parse(in, name);
            }
            in.seek(bodyStart + length);
        }
        return info;
    }

    /** True if {@code b} holds the "fLaC" stream marker at {@code off}. */
    static boolean hasMagic(byte[] b, int off) {
        return b.length >= off + 4 && b[off] == 'f' && b[off + 1] == 'L' && b[off + 2] == 'a' && b[off + 3] == 'C';
    }

    private static boolean isId3v1Trailer(byte[] b, int pos) {
        return b.length - pos == ID3V1_LENGTH && b[pos] == 'T' && b[pos + 1] == 'A' && b[pos + 2] == 'G';
    }
}
