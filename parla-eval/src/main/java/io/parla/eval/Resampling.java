package io.parla.eval;

/**
 * The single place where the evaluation code changes sample rate; every metric and external codec goes
 * through {@link #resample(float[], int, int)}.
 *
 * <p>It currently delegates to this package's {@link WindowedSincResampler}. parla-core is getting its own
 * resampler, {@code io.parla.core.audio.Resampler.resample(float[] x, int fromRate, int toRate)}, with the
 * same signature; once that exists, the body of {@link #resample} becomes a call to it (one line) and
 * {@code WindowedSincResampler} can be deleted. The STOI tests at 16 kHz keep guarding the result: the
 * reference values are reproduced to 2e-3 by any resampler that is flat up to 4.3 kHz and rejects aliases.
 */
public final class Resampling {
    private Resampling() {
    }

    /**
     * Resamples {@code x} from {@code fromRate} to {@code toRate} Hz. Returns a copy when the rates are
     * equal; the output has {@code ceil(x.length * toRate / fromRate)} samples.
     */
    public static float[] resample(float[] x, int fromRate, int toRate) {
        return WindowedSincResampler.resample(x, fromRate, toRate);
    }
}
