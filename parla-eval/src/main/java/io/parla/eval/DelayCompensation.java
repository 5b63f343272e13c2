package io.parla.eval;

import java.util.Arrays;

/**
 * Aligns a decoded signal with its reference before scoring, so that a codec's algorithmic delay (for
 * example 25 ms of look-ahead) is not mistaken for distortion.
 *
 * <p>The lag is the integer {@code L} in {@code [-maxLag, maxLag]} that maximises the linear
 * cross-correlation {@code c[L] = sum_n ref[n] dec[n + L]} (computed with one FFT; the first maximum wins,
 * and an all-zero correlation gives 0). A positive lag means the decoded signal is late. Both signals are
 * then shifted and cut to the length they have in common: {@code ref[max(0, -L) ..]} against
 * {@code dec[max(0, L) ..]}, {@code min(ref.length - max(0, -L), dec.length - max(0, L))} samples. The
 * default search range is ±250 ms.
 */
public final class DelayCompensation {
    /** Default search range, in seconds either way. */
    public static final double DEFAULT_MAX_DELAY_SECONDS = 0.25;

    private DelayCompensation() {
    }

    /**
     * Two equally long signals at {@code rate} Hz: the reference and the decoded signal shifted by
     * {@code lagSamples} (positive: the decoded signal was late by that many samples).
     */
    public record Alignment(float[] reference, float[] decoded, int rate, int lagSamples) {
        public double delayMs() {
            return 1000.0 * lagSamples / rate;
        }

        public int length() {
            return reference.length;
        }
    }

    /** Lag (positive: {@code decoded} is late) maximising the cross-correlation within ±{@code maxLag} samples. */
    public static int estimateLag(float[] reference, float[] decoded, int maxLag) {
        if (maxLag < 0) throw new IllegalArgumentException("negative search range " + maxLag);
        if (reference.length == 0 || decoded.length == 0) return 0;
        double[] c = Fft.crossCorrelation(reference, decoded, maxLag);
        int best = maxLag;
        for (int i = 0; i < c.length; i++) {
            if (c[i] > c[best] || (c[i] == c[best] && Math.abs(i - maxLag) < Math.abs(best - maxLag))) best = i;
        }
        return c[best] > 0 ? best - maxLag : 0;
    }

    /** Estimates the lag within ±250 ms and aligns both signals (same rate). */
    public static Alignment align(float[] reference, float[] decoded, int rate) {
        return align(reference, decoded, rate, (int) Math.round(DEFAULT_MAX_DELAY_SECONDS * rate));
    }

    /** Estimates the lag within ±{@code maxLagSamples} and aligns both signals (same rate). */
    public static Alignment align(float[] reference, float[] decoded, int rate, int maxLagSamples) {
        return shift(reference, decoded, rate, estimateLag(reference, decoded, maxLagSamples));
    }

    /** Applies a known lag (0: no compensation, just cut both to the shorter length). */
    public static Alignment shift(float[] reference, float[] decoded, int rate, int lag) {
        int refStart = Math.max(0, -lag);
        int decStart = Math.max(0, lag);
        int n = Math.max(0, Math.min(reference.length - refStart, decoded.length - decStart));
        return new Alignment(Arrays.copyOfRange(reference, refStart, refStart + n),
                Arrays.copyOfRange(decoded, decStart, decStart + n), rate, lag);
    }
}
