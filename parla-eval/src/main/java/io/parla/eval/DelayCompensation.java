package io.parla.eval;

import java.util.Arrays;

/**
 * Aligns a decoded signal with its reference before scoring, so that a codec's algorithmic delay (for
 * example 25 ms of look-ahead) is not mistaken for distortion.
 *
 * <p>The lag is found in two steps. Coarse: the lag, in steps of about 1 ms, that maximises the correlation of
 * the two signals' short-time energy envelopes (mean removed). Fine: within ±2 ms of it, the integer lag
 * {@code L} that maximises the waveform cross-correlation {@code c[L] = sum_n ref[n] dec[n + L]} (the lag
 * nearest the coarse one wins a tie), if that correlation is positive there. Envelopes first, because a neural vocoder's
 * output follows the reference's envelope but not its phase (SI-SDR around -40 dB): on such output the waveform
 * correlation peaks at noise lags (measured: -172 ms to +61 ms on an aligned 600 bit/s codec, which cut its STOI
 * from 0.65 to 0.47), while the envelope correlation peaks at the true lag. A positive lag means the decoded
 * signal is late. Both signals are then shifted and cut to the length they have in common:
 * {@code ref[max(0, -L) ..]} against {@code dec[max(0, L) ..]}. The default search range is ±250 ms.
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

    /** Lag (positive: {@code decoded} is late) within ±{@code maxLag} samples: envelope match, then waveform refinement. */
    public static int estimateLag(float[] reference, float[] decoded, int maxLag) {
        if (maxLag < 0) throw new IllegalArgumentException("negative search range " + maxLag);
        if (reference.length == 0 || decoded.length == 0) return 0;
        // about 1 ms per envelope step at the default ±250 ms range, whatever the sample rate
        int hop = Math.max(1, (int) Math.round(maxLag / 250.0));
        int coarse = envelopeLag(reference, decoded, hop, maxLag / hop) * hop;
        // the waveform only refines within ±2 envelope steps: a handful of direct correlations
        int lo = Math.max(-maxLag, coarse - 2 * hop), hi = Math.min(maxLag, coarse + 2 * hop);
        int best = coarse;
        double bestC = Double.NEGATIVE_INFINITY;
        for (int lag = lo; lag <= hi; lag++) {
            double c = 0;
            for (int n = Math.max(0, -lag), end = Math.min(reference.length, decoded.length - lag); n < end; n++)
                c += reference[n] * (double) decoded[n + lag];
            if (c > bestC || (c == bestC && Math.abs(lag - coarse) < Math.abs(best - coarse))) {
                bestC = c;
                best = lag;
            }
        }
        return bestC > 0 ? best : coarse;
    }

    /** Lag in envelope steps maximising the correlation of mean-removed RMS envelopes (frames of 4 hops). */
    private static int envelopeLag(float[] reference, float[] decoded, int hop, int maxSteps) {
        double[] a = envelope(reference, hop), b = envelope(decoded, hop);
        int best = 0;
        double bestC = Double.NEGATIVE_INFINITY;
        for (int l = -maxSteps; l <= maxSteps; l++) {
            double sum = 0;
            int from = Math.max(0, -l), to = Math.min(a.length, b.length - l);
            for (int k = from; k < to; k++) sum += a[k] * b[k + l];
            if (sum > bestC || (sum == bestC && Math.abs(l) < Math.abs(best))) {
                bestC = sum;
                best = l;
            }
        }
        return bestC > 0 ? best : 0;
    }

    private static double[] envelope(float[] x, int hop) {
        int frames = Math.max(1, x.length / hop);
        double[] e = new double[frames];
        double mean = 0;
        for (int k = 0; k < frames; k++) {
            double sum = 0;
            int from = k * hop, to = Math.min(x.length, from + 4 * hop);
            for (int i = from; i < to; i++) sum += x[i] * (double) x[i];
            e[k] = Math.sqrt(sum / Math.max(1, to - from));
            mean += e[k];
        }
        mean /= frames;
        for (int k = 0; k < frames; k++) e[k] -= mean;
        return e;
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
