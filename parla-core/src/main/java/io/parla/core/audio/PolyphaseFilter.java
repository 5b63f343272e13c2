package io.parla.core.audio;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Kaiser-windowed sinc low-pass of a {@link Resampler}, sampled at every one of the {@code up} fractional
 * offsets an output sample can have relative to the input grid (see the Resampler's class comment for the design).
 *
 * <p>Tables are immutable and cached per rate pair: a trainer resamples thousands of files at the same pair,
 * and building a table costs tens of thousands of Bessel function evaluations.
 */
final class PolyphaseFilter {
    /** Cutoff (the -6 dB point) as a fraction of the lower rate's Nyquist frequency. */
    static final double CUTOFF = 0.95;
    /** Width of the transition band as a fraction of the lower Nyquist: passband to 0.90, stopband from 1.00. */
    static final double TRANSITION = 0.10;
    /** Designed stopband attenuation; the Kaiser formulas turn it into the window shape and the filter length. */
    static final double STOPBAND_DB = 95;
    /** Guards against rate pairs like 96000:95999 whose table would hold too many phases to be worth storing. */
    static final long MAX_COEFFICIENTS = 1 << 24;

    private static final Map<Long, PolyphaseFilter> CACHE = new ConcurrentHashMap<>();

    final int up;
    final int down;
    /** Input samples on each side of the output instant that the filter reaches. */
    final int halfTaps;
    final int taps;
    /** Phase-major: the taps of phase p are {@code coefficients[p * taps .. (p + 1) * taps)}. */
    final float[] coefficients;

    private PolyphaseFilter(int fromRate, int toRate) {
        int gcd = gcd(fromRate, toRate);
        up = toRate / gcd;
        down = fromRate / gcd;
        double lowerRate = Math.min(fromRate, toRate);
        // Frequencies in cycles per input sample.
        double cutoff = CUTOFF * lowerRate / 2 / fromRate;
        double transition = TRANSITION * lowerRate / 2 / fromRate;
        double beta = 0.1102 * (STOPBAND_DB - 8.7);
        double length = (STOPBAND_DB - 7.95) / (2.285 * 2 * Math.PI * transition);
        // At least ceil(down / up) taps a side, which the streaming resampler relies on to never emit a sample
        // past the final length.
        halfTaps = (int) Math.max(Math.ceil(length / 2), Math.ceil((double) down / up) + 1);
        taps = 2 * halfTaps;
        if ((long) up * taps > MAX_COEFFICIENTS)
            throw new IllegalArgumentException("rate ratio " + fromRate + ":" + toRate + " needs " + up
                    + " filter phases; reduce it to a simpler ratio first");
        coefficients = new float[up * taps];
        double[] phase = new double[taps];
        double i0Beta = besselI0(beta);
        for (int p = 0; p < up; p++) {
            double sum = 0;
            for (int j = 0; j < taps; j++) {
                // Distance in input samples from the output instant back to input sample j of the window.
                double d = halfTaps - 1 - j + (double) p / up;
                double u = d / halfTaps;
                double window = Math.abs(u) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / i0Beta;
                phase[j] = 2 * cutoff * sinc(2 * cutoff * d) * window;
                sum += phase[j];
            }
            // Unit DC gain in every phase; otherwise the tiny phase-to-phase differences would modulate DC.
            for (int j = 0; j < taps; j++) coefficients[p * taps + j] = (float) (phase[j] / sum);
        }
    }

    static PolyphaseFilter of(int fromRate, int toRate) {
        return CACHE.computeIfAbsent((long) fromRate << 32 | toRate, key -> new PolyphaseFilter(fromRate, toRate));
    }

    private static double sinc(double x) {
        return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
    }

    /** Modified Bessel function of the first kind, order 0, by its power series (converges fast for x < 30). */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
            term *= (half / k) * (half / k);
            sum += term;
        }
        return sum;
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
