package io.parla.focalcodec.vocos;

/**
 * Inverse real DFT of size n (C2R, {@code 1/n} normalisation). Powers of two use an iterative radix-2
 * complex FFT; other sizes fall back to a direct O(n^2) sum (no official model uses one).
 */
public final class RealFFT {
    private final int n;
    private final double[] cos, sin;
    private final int[] rev;

    public RealFFT(int n) {
        this.n = n;
        boolean pow2 = Integer.bitCount(n) == 1;
        cos = new double[n];
        sin = new double[n];
        for (int i = 0; i < n; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / n);
            sin[i] = Math.sin(2 * Math.PI * i / n);
        }
        rev = pow2 ? bitReverse(n) : null;
    }

    private static int[] bitReverse(int n) {
        int bits = Integer.numberOfTrailingZeros(n);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) r[i] = Integer.reverse(i) >>> (32 - bits);
        return r;
    }

    /**
     * @param re real parts of bins 0..n/2, @param im imaginary parts (those of DC and Nyquist are ignored)
     * @param out n time samples
     */
    public void inverse(float[] re, float[] im, int off, float[] out) {
        int half = n / 2;
        double[] xr = new double[n], xi = new double[n];
        for (int k = 0; k <= half; k++) {
            xr[k] = re[off + k];
            xi[k] = (k == 0 || (k == half && n % 2 == 0)) ? 0 : im[off + k];
        }
        for (int k = half + 1; k < n; k++) {
            xr[k] = re[off + n - k];
            xi[k] = -im[off + n - k];
        }
        if (rev == null) {
            for (int t = 0; t < n; t++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    int idx = (int) ((long) k * t % n);
                    s += xr[k] * cos[idx] - xi[k] * sin[idx];
                }
                out[t] = (float) (s / n);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int j = rev[i];
            if (j > i) {
                double tr = xr[i]; xr[i] = xr[j]; xr[j] = tr;
                double ti = xi[i]; xi[i] = xi[j]; xi[j] = ti;
            }
        }
        for (int size = 2; size <= n; size <<= 1) {
            int step = n / size, halfSize = size / 2;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < halfSize; k++) {
                    double wr = cos[k * step], wi = sin[k * step]; // inverse transform: e^{+i...}
                    int a = start + k, b = a + halfSize;
                    double br = xr[b] * wr - xi[b] * wi, bi = xr[b] * wi + xi[b] * wr;
                    xr[b] = xr[a] - br; xi[b] = xi[a] - bi;
                    xr[a] += br; xi[a] += bi;
                }
            }
        }
        for (int t = 0; t < n; t++) out[t] = (float) (xr[t] / n);
    }
}
