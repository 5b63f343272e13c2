package io.parla.eval;

/**
 * In-place iterative radix-2 complex FFT in double precision, plus the few real-signal helpers the
 * metrics need (power spectra of zero-padded frames, linear cross-correlation).
 *
 * <p>The forward transform is {@code X[k] = sum_n x[n] exp(-2 pi i k n / N)} (no scaling), the inverse
 * carries the {@code 1/N} factor, so {@code inverse(forward(x)) == x}.
 */
final class Fft {
    private final int n;
    private final int[] bitReversed;
    private final double[] cos;
    private final double[] sin;

    /** Prepares a transform of size {@code n}, which must be a power of two. */
    Fft(int n) {
        if (n < 1 || Integer.bitCount(n) != 1) throw new IllegalArgumentException("FFT size must be a power of two: " + n);
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        bitReversed = new int[n];
        for (int i = 0; i < n; i++) bitReversed[i] = bits == 0 ? 0 : Integer.reverse(i) >>> (32 - bits);
        cos = new double[n / 2];
        sin = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            double a = -2 * Math.PI * i / n;
            cos[i] = Math.cos(a);
            sin[i] = Math.sin(a);
        }
    }

    int size() {
        return n;
    }

    void forward(double[] re, double[] im) {
        transform(re, im, false);
    }

    void inverse(double[] re, double[] im) {
        transform(re, im, true);
        double s = 1.0 / n;
        for (int i = 0; i < n; i++) {
            re[i] *= s;
            im[i] *= s;
        }
    }

    private void transform(double[] re, double[] im, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = bitReversed[i];
            if (j > i) {
                double t = re[i]; re[i] = re[j]; re[j] = t;
                t = im[i]; im[i] = im[j]; im[j] = t;
            }
        }
        double sign = inverse ? -1 : 1;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1;
            int step = n / len;
            for (int start = 0; start < n; start += len) {
                for (int k = 0; k < half; k++) {
                    double wr = cos[k * step];
                    double wi = sign * sin[k * step];
                    int a = start + k;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    /**
     * Power spectrum {@code |X[k]|^2}, {@code k = 0..n/2}, of the real frame {@code frame} (any length up to
     * {@code n}) zero-padded to the transform size. {@code re}/{@code im} are scratch arrays of length n.
     */
    void powerSpectrum(double[] frame, double[] re, double[] im, double[] out) {
        java.util.Arrays.fill(re, 0);
        java.util.Arrays.fill(im, 0);
        System.arraycopy(frame, 0, re, 0, frame.length);
        forward(re, im);
        for (int k = 0; k <= n / 2; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    }
}
