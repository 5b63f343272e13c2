package io.parla.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test-only WAV loader for the fixtures under {@code src/test/resources}: RIFF/WAVE, 16-bit PCM or 32-bit
 * IEEE float (plain or WAVE_FORMAT_EXTENSIBLE), channels averaged to mono. Not a general WAV reader; the
 * main code of this module takes float arrays and a sample rate only.
 */
final class TestWavs {
    private TestWavs() {
    }

    /** Mono samples in [-1, 1) and their rate. */
    record Wav(float[] samples, int rate) {
    }

    static Wav resource(String name) {
        try (InputStream in = TestWavs.class.getResourceAsStream(name.startsWith("/") ? name : "/" + name)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + name);
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Wav parse(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x46464952 || b.getInt(8) != 0x45564157) throw new IllegalArgumentException("not a RIFF/WAVE file");
        int pos = 12;
        int format = -1, channels = 0, rate = 0, bits = 0;
        while (pos + 8 <= bytes.length) {
            int id = b.getInt(pos);
            int size = b.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                format = b.getShort(body) & 0xffff;
                channels = b.getShort(body + 2);
                rate = b.getInt(body + 4);
                bits = b.getShort(body + 14);
                if (format == 0xfffe) format = b.getShort(body + 24) & 0xffff;
            } else if (id == 0x61746164) { // "data"
                int frames = Math.min(size, bytes.length - body) / (channels * bits / 8);
                float[] out = new float[frames];
                for (int i = 0; i < frames; i++) {
                    double s = 0;
                    for (int c = 0; c < channels; c++) {
                        int at = body + (i * channels + c) * bits / 8;
                        if (format == 1 && bits == 16) s += b.getShort(at) / 32768.0;
                        else if (format == 3 && bits == 32) s += b.getFloat(at);
                        else throw new IllegalArgumentException("unsupported WAV format " + format + "/" + bits + " bits");
                    }
                    out[i] = (float) (s / channels);
                }
                return new Wav(out, rate);
            }
            pos = body + size + (size & 1);
        }
        throw new IllegalArgumentException("WAV without data chunk");
    }
}
