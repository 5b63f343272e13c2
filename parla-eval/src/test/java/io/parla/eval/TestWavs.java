package io.parla.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The WAV fixtures under {@code src/test/resources}, read with the core reader; the metrics take float arrays. */
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
        io.parla.core.audio.Audio a = io.parla.core.audio.WavReader.read(bytes, "test fixture");
        return new Wav(a.samples(), a.sampleRate());
    }
}
