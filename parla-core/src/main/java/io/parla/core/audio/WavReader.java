package io.parla.core.audio;

import java.io.InputStream;
import java.nio.file.Path;

/**
 * Reads RIFF/WAVE (and RF64/BW64) files into mono {@link Audio}.
 *
 * <p>Supported: integer PCM of 8 (unsigned), 16, 24 and 32 bits (narrower valid bits in those containers too),
 * IEEE float of 32 and 64 bits, each plain or as WAVE_FORMAT_EXTENSIBLE, with any number of channels averaged to
 * mono. Chunks other than {@code fmt } and {@code data} are skipped; reading stops after the data chunk.
 *
 * <p>Hostile input is expected: nothing is allocated from a header's claim until the input is known to hold it
 * (for streams of unknown length buffers grow only as bytes arrive), every chunk is read within its declared
 * bounds, and each loop consumes input, so a malformed file ends in an {@link AudioFormatException}.
 *
 * <p>A data chunk shorter than declared is an error, with one exception: a declared size of 0 or 0xFFFFFFFF is
 * what streaming writers leave behind when they cannot seek back to patch it, so there the data runs to the end
 * of the file and every whole frame present is read.
 */
public final class WavReader {
    private static final int CHUNK_HEADER = 8;
    private static final int BLOCK_BYTES = 1 << 16;
    /** No legitimate fmt or ds64 chunk is near this; larger ones are read up to it and the rest skipped. */
    private static final int MAX_HEADER_CHUNK = 1024;

    private WavReader() {}

    public static Audio read(Path file) {
        try (ByteSource source = ByteSource.open(file)) {
            return read(source);
        }
    }

    /** Reads a whole stream; the caller keeps ownership of {@code in}. */
    public static Audio read(InputStream in, String nameForErrors) {
        return read(ByteSource.of(in, nameForErrors));
    }

    public static Audio read(byte[] bytes, String nameForErrors) {
        return read(ByteSource.of(bytes, nameForErrors));
    }

    static Audio read(ByteSource source) {
        byte[] header = new byte[12];
        int got = source.readUpTo(header, 0, 12);
        if (got == 0) throw source.error("empty file");
        String form = ascii(header, 0, Math.min(4, got));
        boolean rf64 = form.equals("RF64") || form.equals("BW64");
        if (!("RIFF".startsWith(form) || "RF64".startsWith(form) || "BW64".startsWith(form)))
            throw source.error("not a RIFF/WAVE file");
        if (got < 12) throw source.error("truncated header (" + got + " of 12 bytes)");
        if (!ascii(header, 8, 4).equals("WAVE"))
            throw source.error("not a RIFF/WAVE file (RIFF form type '" + ascii(header, 8, 4) + "')");

        long rf64DataSize = -1;
        WavFormat format = null;
        byte[] body = new byte[MAX_HEADER_CHUNK];
        while (true) {
            got = source.readUpTo(header, 0, CHUNK_HEADER);
            if (got == 0) throw source.error(format == null ? "missing fmt chunk" : "missing data chunk");
            if (got < CHUNK_HEADER)
                throw source.error("truncated chunk header at byte " + (source.position() - got));
            String id = ascii(header, 0, 4);
            long size = LittleEndian.u32(header, 4);
            switch (id) {
                case "ds64" -> {
                    int n = readHeaderChunk(source, id, size, body);
                    if (!rf64) continue;
                    if (n < 24) throw source.error("truncated ds64 chunk (" + n + " bytes, at least 24 needed)");
                    rf64DataSize = LittleEndian.u64(body, 8);
                }
                case "fmt " -> format = WavFormat.parse(body, readHeaderChunk(source, id, size, body), source);
                case "data" -> {
                    if (format == null) throw source.error("missing fmt chunk before data chunk");
                    if (rf64 && size == 0xFFFFFFFFL) {
                        if (rf64DataSize < 0) throw source.error("RF64 file without ds64 chunk");
                        return readData(source, format, rf64DataSize, false);
                    }
                    return readData(source, format, size, size == 0 || size == 0xFFFFFFFFL);
                }
                default -> skipChunk(source, id, size);
            }
        }
    }

    /** Reads a small chunk's body into {@code body} (at most its capacity), skipping the rest and the pad byte. */
    private static int readHeaderChunk(ByteSource source, String id, long size, byte[] body) {
        int want = (int) Math.min(size, body.length);
        int n = source.readUpTo(body, 0, want);
        if (n < want) throw truncated(source, id, size, n);
        skipChunk(source, id, size - n);
        return n;
    }

    private static void skipChunk(ByteSource source, String id, long size) {
        long padded = size + (size & 1);
        long skipped = source.skip(padded);
        // The pad byte of a file's last chunk is often missing; only missing content is an error.
        if (skipped < size) throw truncated(source, id, size, skipped);
    }

    private static Audio readData(ByteSource source, WavFormat format, long declaredBytes, boolean toEnd) {
        int blockAlign = format.blockAlign();
        long frames = toEnd ? Long.MAX_VALUE : declaredBytes / blockAlign;
        if (!toEnd && declaredBytes > source.remaining())
            throw truncated(source, "data", declaredBytes, source.remaining());
        long bound = source.lengthKnown() ? source.remaining() / blockAlign : 1 << 20;
        GrowableFloats out = new GrowableFloats(Math.min(frames, bound));
        byte[] block = new byte[Math.max(blockAlign, BLOCK_BYTES / blockAlign * blockAlign)];
        int blockFrames = block.length / blockAlign;
        long done = 0;
        while (done < frames) {
            int want = (int) Math.min(blockFrames, frames - done);
            int got = source.readUpTo(block, 0, want * blockAlign);
            int whole = got / blockAlign;
            if (whole < want && !toEnd) throw truncated(source, "data", declaredBytes, done * blockAlign + got);
            float[] dst = out.reserve(whole, source.name());
            int bad = WavSampleDecoder.decode(format, block, whole, dst, out.size());
            if (bad >= 0)
                throw source.error("non-finite float sample at frame " + (done + bad) + " (" + dst[out.size() + bad]
                        + ")");
            out.advance(whole);
            done += whole;
            if (whole < want) break;
        }
        if (out.size() == 0) throw source.error("empty audio (data chunk holds no samples)");
        return new Audio(out.toArray(), format.sampleRate());
    }

    private static AudioFormatException truncated(ByteSource source, String id, long expected, long found) {
        return source.error("truncated " + id.strip() + " chunk (expected " + expected + " bytes, found " + found
                + ")");
    }

    /** Chunk ids are meant to be ASCII; anything else is shown escaped so error messages stay readable. */
    private static String ascii(byte[] b, int off, int len) {
        StringBuilder s = new StringBuilder(len);
        for (int i = off; i < off + len; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F) s.append((char) c);
            else s.append(String.format("\\x%02X", c));
        }
        return s.toString();
    }
}
