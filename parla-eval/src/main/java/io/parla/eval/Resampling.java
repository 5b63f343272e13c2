package io.parla.eval;

/**
 * The single place where the evaluation code changes sample rate; every metric and external codec goes
 * through {@link #resample(float[], int, int)}.
 *
 * <p>It delegates to the core's band-limited {@link io.parla.core.audio.Resampler} (see docs/resampler.md);
 * the STOI tests at 16 kHz guard the result, since the reference values are reproduced to 2e-3 only by a
 * resampler that is flat up to 4.3 kHz and rejects aliases.
 */
public final class Resampling {
    private Resampling() {
    }

    /**
     * Resamples {@code x} from {@code fromRate} to {@code toRate} Hz. Returns a copy when the rates are
     * equal; the output has {@code round(x.length * toRate / fromRate)} samples.
     */
    public static float[] resample(float[] x, int fromRate, int toRate) {
        return io.parla.core.audio.Resampler.resample(x, fromRate, toRate);
    }
}
