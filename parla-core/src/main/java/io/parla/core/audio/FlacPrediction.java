package io.parla.core.audio;

/**
 * Turns residuals back into samples, in place: {@code s[0..order)} hold the warm-up samples and
 * {@code s[order..n)} the residuals on entry, the decoded samples on return.
 */
final class FlacPrediction {
    private FlacPrediction() {}

    /** The fixed polynomial predictors of orders 0 to 4 (binomial coefficients, alternating signs). */
    static void restoreFixed(long[] s, int order, int n) {
        switch (order) {
            case 0 -> { }
            case 1 -> {
                for (int i = 1; i < n; i++) s[i] += s[i - 1];
            }
            case 2 -> {
                for (int i = 2; i < n; i++) s[i] += 2 * s[i - 1] - s[i - 2];
            }
            case 3 -> {
                for (int i = 3; i < n; i++) s[i] += 3 * (s[i - 1] - s[i - 2]) + s[i - 3];
            }
            case 4 -> {
                for (int i = 4; i < n; i++) s[i] += 4 * (s[i - 1] + s[i - 3]) - 6 * s[i - 2] - s[i - 4];
            }
            default -> throw new IllegalArgumentException("fixed predictor order " + order);
        }
    }

    /** Linear prediction with quantised coefficients: s[i] += (sum of c[j] * s[i-1-j]) >> shift. */
    static void restoreLpc(long[] s, long[] c, int order, int shift, int n) {
        for (int i = order; i < n; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += c[j] * s[i - 1 - j];
            s[i] += sum >> shift;
        }
    }
}
