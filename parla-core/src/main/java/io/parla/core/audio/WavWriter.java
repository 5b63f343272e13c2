package io.parla.core.audio;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes mono {@link Audio} as a canonical RIFF/WAVE file: {@code fmt }, then for float encodings a {@code fact}
 * chunk (the WAV specification requires one for every non-PCM format), then {@code data}.
 *
 * <p>The file is written to a temporary sibling and moved into place only when complete, so a crash or a full
 * disk never leaves a truncated file under the target name for a later job to trip over.
 */
public final class WavWriter {
    private static final int BLOCK_SAMPLES = 1 << 14;

    private WavWriter() {}

    /** 16-bit PCM, samples clipped to [-1, 1] and rounded to the nearest code. */
    public static void writePcm16(Path file, Audio audio) throws IOException {
        write(file, audio, WavEncoding.PCM_16);
    }

    /** 32-bit IEEE float, samples stored unchanged. */
    public static void writeFloat32(Path file, Audio audio) throws IOException {
        write(file, audio, WavEncoding.FLOAT_32);
    }

    /**
     * @throws IllegalArgumentException if a sample is NaN or infinite (no encoding can represent it faithfully and
     *                                  the reader rejects such files), or the audio is too long for a RIFF file
     */
    public static void write(Path file, Audio audio, WavEncoding encoding) throws IOException {
        float[] samples = audio.samples();
        for (int i = 0; i < samples.length; i++)
            if (!Float.isFinite(samples[i]))
                throw new IllegalArgumentException("sample " + i + " is not finite (" + samples[i] + ")");
        byte[] header = header(audio, encoding);
        // Not Files.createTempFile: its owner-only permissions would carry over to the finished file.
        String unique = Long.toHexString(ThreadLocalRandom.current().nextLong());
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + unique + ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.CREATE_NEW)) {
                out.write(header);
                byte[] block = new byte[BLOCK_SAMPLES * encoding.bytesPerSample()];
                for (int off = 0; off < samples.length; off += BLOCK_SAMPLES) {
                    int n = Math.min(BLOCK_SAMPLES, samples.length - off);
                    WavSampleEncoder.encode(encoding, samples, off, n, block);
                    out.write(block, 0, n * encoding.bytesPerSample());
                }
                if (dataBytes(audio, encoding) % 2 == 1) out.write(0);
            }
            moveIntoPlace(tmp, file);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void moveIntoPlace(Path tmp, Path file) throws IOException {
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static long dataBytes(Audio audio, WavEncoding encoding) {
        return (long) audio.samples().length * encoding.bytesPerSample();
    }

    private static byte[] header(Audio audio, WavEncoding encoding) {
        boolean isFloat = encoding.isFloatingPoint();
        int fmtSize = isFloat ? 18 : 16;
        int factChunk = isFloat ? 12 : 0;
        int headerSize = 12 + 8 + fmtSize + factChunk + 8;
        long data = dataBytes(audio, encoding);
        long riffSize = headerSize - 8 + data + (data & 1);
        if (riffSize > 0xFFFFFFFFL)
            throw new IllegalArgumentException("audio too long for a WAV file: " + data + " bytes of samples");
        int bytesPerSample = encoding.bytesPerSample();
        byte[] h = new byte[headerSize];
        int p = putId(h, 0, "RIFF");
        LittleEndian.put32(h, p, riffSize);
        p = putId(h, p + 4, "WAVE");
        p = putId(h, p, "fmt ");
        LittleEndian.put32(h, p, fmtSize);
        LittleEndian.put16(h, p + 4, encoding.formatTag());
        LittleEndian.put16(h, p + 6, 1);
        LittleEndian.put32(h, p + 8, audio.sampleRate());
        LittleEndian.put32(h, p + 12, (long) audio.sampleRate() * bytesPerSample);
        LittleEndian.put16(h, p + 16, bytesPerSample);
        LittleEndian.put16(h, p + 18, encoding.bitsPerSample());
        p += 4 + fmtSize; // a float fmt chunk ends with cbSize = 0, already zero in the array
        if (isFloat) {
            p = putId(h, p, "fact");
            LittleEndian.put32(h, p, 4);
            LittleEndian.put32(h, p + 4, audio.samples().length);
            p += 8;
        }
        p = putId(h, p, "data");
        LittleEndian.put32(h, p, data);
        return h;
    }

    private static int putId(byte[] h, int p, String id) {
        for (int i = 0; i < 4; i++) h[p + i] = (byte) id.charAt(i);
        return p + 4;
    }
}
