package io.parla.secousticodec;

/**
 * The compute kernels of SecoustiCodec, in plain float32 Java loops. Every heavy operation is a
 * matrix product written as "for each output row, for each output channel: bias + dot(weight row,
 * input row)" through {@link #dot}, so swapping in a Vector API kernel from parla-core later touches
 * this class only.
 *
 * <p>Activations are {@code float[]} in {@code [T, C]} row-major order (time major, channels
 * contiguous). Convolution weights are repacked once at load time into {@link Conv} ({@code [O][K][I]}),
 * so each tap of a convolution is again one dot product over contiguous channels.
 */
final class SecoustiOps {
    private SecoustiOps() {}

    /**
     * A 1-D convolution weight repacked as {@code [out][k][in]} plus bias ({@code null} = none).
     * Used for both Conv1d and ConvTranspose1d (see {@link #packConv} / {@link #packConvTranspose}).
     */
    record Conv(int out, int in, int k, float[] w, float[] bias) {}

    /** Packs a PyTorch Conv1d weight {@code [O, I, K]}. */
    static Conv packConv(float[] w, int out, int in, int k, float[] bias) {
        float[] p = new float[w.length];
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++)
                    p[(o * k + j) * in + i] = w[(o * in + i) * k + j];
        return new Conv(out, in, k, p, bias);
    }

    /** Packs a PyTorch ConvTranspose1d weight {@code [I, O, K]} into {@code [O][K][I]}. */
    static Conv packConvTranspose(float[] w, int in, int out, int k, float[] bias) {
        float[] oik = new float[w.length];  // [I, O, K] -> [O, I, K], then the Conv1d packing
        for (int i = 0; i < in; i++)
            for (int o = 0; o < out; o++)
                System.arraycopy(w, (i * out + o) * k, oik, (o * in + i) * k, k);
        return packConv(oik, out, in, k, bias);
    }

    /** {@code sum_j a[ao+j] * b[bo+j]} for j in [0, n). The single inner kernel of every product. */
    static float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < n; j++) s0 += a[ao + j] * b[bo + j];
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code y[t, o] = bias[o] + dot(w[o, :], x[t, :])}; w is {@code [out, in]} (PyTorch Linear layout). */
    static float[] linear(float[] x, int rows, int in, float[] w, float[] bias, int out) {
        float[] y = new float[rows * out];
        for (int t = 0; t < rows; t++) {
            int xo = t * in, yo = t * out;
            for (int o = 0; o < out; o++) {
                float s = dot(w, o * in, x, xo, in);
                y[yo + o] = bias == null ? s : s + bias[o];
            }
        }
        return y;
    }

    /**
     * Conv1d over {@code x [T, in]} with zero padding {@code padLeft}/{@code padRight} (rows outside the
     * input are skipped, never materialised). Output {@code [Tout, out]},
     * {@code Tout = (T + padLeft + padRight - (k-1)*dil - 1) / stride + 1}.
     */
    static float[] conv1d(float[] x, int T, Conv c, int stride, int dil, int padLeft, int padRight) {
        int in = c.in(), out = c.out(), k = c.k();
        int tout = (T + padLeft + padRight - (k - 1) * dil - 1) / stride + 1;
        if (tout <= 0) return new float[0];
        float[] y = new float[tout * out];
        float[] w = c.w();
        for (int t = 0; t < tout; t++) {
            int base = t * stride - padLeft;
            int yo = t * out;
            for (int o = 0; o < out; o++) {
                float s = c.bias() == null ? 0f : c.bias()[o];
                for (int j = 0; j < k; j++) {
                    int src = base + j * dil;
                    if (src < 0 || src >= T) continue;
                    s += dot(w, (o * k + j) * in, x, src * in, in);
                }
                y[yo + o] = s;
            }
        }
        return y;
    }

    /** Length of a Conv1d output (see {@link #conv1d}). */
    static int convOutLength(int T, int k, int stride, int dil, int padLeft, int padRight) {
        return Math.max(0, (T + padLeft + padRight - (k - 1) * dil - 1) / stride + 1);
    }

    /**
     * ConvTranspose1d over {@code x [T, in]}: the full output has {@code (T-1)*stride + k} rows; this
     * returns rows {@code [cropLeft, cropLeft + outLen)} of it (bias added). Output row p gathers every
     * tap j with {@code (p - j) % stride == 0}, one dot product each.
     */
    static float[] convTranspose1d(float[] x, int T, Conv c, int stride, int cropLeft, int outLen) {
        int in = c.in(), out = c.out(), k = c.k();
        float[] y = new float[outLen * out];
        float[] w = c.w();
        for (int q = 0; q < outLen; q++) {
            int p = q + cropLeft;
            int yo = q * out;
            for (int o = 0; o < out; o++) {
                float s = c.bias() == null ? 0f : c.bias()[o];
                for (int j = p % stride; j < k; j += stride) {
                    int t = (p - j) / stride;
                    if (t < 0 || t >= T) continue;
                    s += dot(w, (o * k + j) * in, x, t * in, in);
                }
                y[yo + o] = s;
            }
        }
        return y;
    }

    static float[] elu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0f ? x[i] : (float) Math.expm1(x[i]);
        return y;
    }

    static float[] leakyRelu(float[] x, float slope) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0f ? x[i] : x[i] * slope;
        return y;
    }

    /** In place {@code a += b}. */
    static void addInPlace(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) a[i] += b[i];
    }

    /** Exact (erf) GELU: {@code 0.5 x (1 + erf(x / sqrt 2))}, evaluated in double. */
    static float gelu(float x) {
        return (float) (0.5 * x * (1.0 + erf(x / Math.sqrt(2.0))));
    }

    /**
     * erf to about 1e-15: Taylor series for |x| < 3, Lentz continued fraction of erfc beyond (the JDK
     * has no erf).
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        double r;
        if (ax < 3.0) {
            double x2 = ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 200; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = sum * 2.0 / Math.sqrt(Math.PI);
        } else if (ax > 6.0) {
            r = 1.0;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...))))
            double tiny = 1e-300, f = ax, c = ax, d = 0.0;
            for (int n = 1; n < 300; n++) {
                double a = n * 0.5;
                d = ax + a * d;
                d = d == 0 ? tiny : d;
                c = ax + a / c;
                c = c == 0 ? tiny : c;
                d = 1.0 / d;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1.0) < 1e-16) break;
            }
            r = 1.0 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }

    /** LayerNorm over the last dimension of {@code x [rows, C]} (biased variance, as PyTorch). */
    static float[] layerNorm(float[] x, int rows, int C, float[] gamma, float[] beta, float eps) {
        float[] y = new float[x.length];
        for (int t = 0; t < rows; t++) {
            int o = t * C;
            double mean = 0;
            for (int c = 0; c < C; c++) mean += x[o + c];
            mean /= C;
            double var = 0;
            for (int c = 0; c < C; c++) {
                double d = x[o + c] - mean;
                var += d * d;
            }
            var /= C;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int c = 0; c < C; c++) y[o + c] = (float) ((x[o + c] - mean) * inv) * gamma[c] + beta[c];
        }
        return y;
    }

    static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }

    /** Transposes {@code [rows, cols]} to {@code [cols, rows]}. */
    static float[] transpose(float[] x, int rows, int cols) {
        float[] y = new float[x.length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) y[c * rows + r] = x[r * cols + c];
        return y;
    }
}
