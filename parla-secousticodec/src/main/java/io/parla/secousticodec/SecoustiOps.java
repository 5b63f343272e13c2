package io.parla.secousticodec;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.MatMul;
import io.parla.core.kernels.Weight;

import java.lang.foreign.MemorySegment;

/**
 * The compute kernels of SecoustiCodec. Every product (Linear, every convolution, every transposed
 * convolution) is one call of parla-core's {@link MatMul} ({@link Kernels#matmul()}: Vector API when the
 * incubator module is present, plain Java otherwise); attention and GELU use {@link Kernels#ops()}.
 * Element-wise code (ELU, LayerNorm, ...) stays here in plain loops, except the sines of Snake and of the HiFT
 * source ({@link #sinf}), which run on the Vector API ({@link VectorElementwise}) when it is available.
 *
 * <p>Activations are {@code float[]} in {@code [T, C]} row-major order (time major, channels contiguous).
 * Weights are repacked once at load time ({@link Weights#matrix}, off-heap, F32 or BF16) so that the
 * receptive field of one output frame is one contiguous input row range:
 * <ul>
 *   <li>Conv1d {@code [O, I, K]} becomes {@code [O, K·I]}; with dilation 1 the K input rows of output frame t
 *       are contiguous, so the whole convolution is one strided matmul over the zero-padded input (row stride
 *       {@code stride·I}), no im2col copy. With dilation d the input is split into its d phases
 *       ({@code t mod d}); in a phase the taps are again contiguous rows (one copy of the input, not K).</li>
 *   <li>ConvTranspose1d {@code [I, O, K]} with stride u becomes {@code [u·O, n·I]}, {@code n = ceil(K/u)}:
 *       the u output frames {@code m·u .. m·u+u-1} depend on input rows {@code m-n+1 .. m} only, so one
 *       matmul row produces u output frames.</li>
 * </ul>
 */
final class SecoustiOps {
    private SecoustiOps() {}

    /** {@code torch.nn.Linear}: weight {@code [out, in]}, bias {@code [out]} or null. */
    record Mat(int in, int out, Weight w, MemorySegment bias) {
        float[] apply(float[] x, int rows) {
            float[] y = new float[rows * out];
            apply(x, 0, in, rows, y, 0, out);
            return y;
        }

        void apply(float[] x, int xOff, int xStride, int rows, float[] y, int yOff, int yStride) {
            if (rows > 0) Kernels.matmul().linear(x, xOff, xStride, rows, in, w, bias, y, yOff, yStride, out);
        }
    }

    /** A Linear layer from a PyTorch weight {@code [out, in]} and optional bias. */
    static Mat linear(Weights w, float[] weight, int out, int in, float[] bias) {
        return new Mat(in, out, w.matrix(weight, out, in), w.bias(bias));
    }

    /** A Conv1d weight repacked as the matrix {@code [out, k·in]} (tap-major rows) plus bias. */
    record Conv(int out, int in, int k, Mat m) {}

    /** Packs a PyTorch Conv1d weight {@code [O, I, K]}. */
    static Conv packConv(Weights w, float[] wt, int out, int in, int k, float[] bias) {
        float[] p = new float[wt.length];
        for (int o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++)
                    p[(o * k + j) * in + i] = wt[(o * in + i) * k + j];
        return new Conv(out, in, k, linear(w, p, out, k * in, bias));
    }

    /**
     * A ConvTranspose1d of kernel k and stride u repacked as {@code [u·out, n·in]} ({@code n = ceil(k/u)}):
     * row {@code r·out + o}, column block s (input row {@code m - n + 1 + s}) holds tap {@code r + (n-1-s)·u}
     * (zero where that tap is ≥ k); the bias is repeated u times.
     */
    record ConvT(int in, int out, int k, int stride, int taps, Mat m) {}

    /** Packs a PyTorch ConvTranspose1d weight {@code [I, O, K]} for stride {@code u}. */
    static ConvT packConvTranspose(Weights w, float[] wt, int in, int out, int k, int u, float[] bias) {
        int n = (k + u - 1) / u;
        float[] p = new float[u * out * n * in];
        for (int r = 0; r < u; r++)
            for (int o = 0; o < out; o++)
                for (int s = 0; s < n; s++) {
                    int j = r + (n - 1 - s) * u;
                    if (j >= k) continue;
                    int row = (r * out + o) * n * in + s * in;
                    for (int i = 0; i < in; i++) p[row + i] = wt[(i * out + o) * k + j];
                }
        float[] b = null;
        if (bias != null) {
            b = new float[u * out];
            for (int r = 0; r < u; r++) System.arraycopy(bias, 0, b, r * out, out);
        }
        return new ConvT(in, out, k, u, n, linear(w, p, u * out, n * in, b));
    }

    /** {@code x [T, C]} with {@code left} zero rows in front and {@code right} behind. */
    static float[] padRows(float[] x, int T, int C, int left, int right) {
        float[] p = new float[(left + T + right) * C];
        System.arraycopy(x, 0, p, left * C, T * C);
        return p;
    }

    /**
     * Conv1d over {@code x [T, in]} with zero padding {@code padLeft}/{@code padRight}. Output {@code [Tout, out]},
     * {@code Tout = (T + padLeft + padRight - (k-1)*dil - 1) / stride + 1}. Dilation > 1 requires stride 1.
     */
    static float[] conv1d(float[] x, int T, Conv c, int stride, int dil, int padLeft, int padRight) {
        int in = c.in(), out = c.out(), k = c.k();
        int tout = convOutLength(T, k, stride, dil, padLeft, padRight);
        float[] y = new float[tout * out];
        if (tout == 0) return y;
        if (dil == 1) {
            float[] xp = padLeft == 0 && padRight == 0 ? x : padRows(x, T, in, padLeft, padRight);
            c.m().apply(xp, 0, stride * in, tout, y, 0, out);
            return y;
        }
        if (stride != 1) throw new IllegalArgumentException("dilated convolutions are supported with stride 1 only");
        // phase p holds padded rows p, p + dil, ...; output t = p + m·dil reads its rows m .. m + k - 1
        int tp = T + padLeft + padRight;
        float[] ph = new float[((tp + dil - 1) / dil) * in];
        for (int p = 0; p < dil && p < tout; p++) {
            int rows = (tp - p + dil - 1) / dil;
            java.util.Arrays.fill(ph, 0f);
            for (int i = 0; i < rows; i++) {
                int src = p + i * dil - padLeft;
                if (src >= 0 && src < T) System.arraycopy(x, src * in, ph, i * in, in);
            }
            c.m().apply(ph, 0, in, (tout - p + dil - 1) / dil, y, p * out, dil * out);
        }
        return y;
    }

    /** Length of a Conv1d output (see {@link #conv1d}). */
    static int convOutLength(int T, int k, int stride, int dil, int padLeft, int padRight) {
        return Math.max(0, (T + padLeft + padRight - (k - 1) * dil - 1) / stride + 1);
    }

    /**
     * ConvTranspose1d over {@code x [T, in]}: the full output has {@code (T-1)*stride + k} rows; this returns
     * rows {@code [cropLeft, cropLeft + outLen)} of it (bias added), {@code [outLen, out]}.
     */
    static float[] convTranspose1d(float[] x, int T, ConvT c, int cropLeft, int outLen) {
        int in = c.in(), out = c.out(), u = c.stride(), n = c.taps();
        float[] xp = padRows(x, T, in, n - 1, n - 1);  // group m reads padded rows m .. m + n - 1
        int m0 = cropLeft / u, m1 = (cropLeft + outLen - 1) / u + 1;
        if (cropLeft % u == 0 && outLen % u == 0) {
            float[] y = new float[outLen * out];
            c.m().apply(xp, m0 * in, in, m1 - m0, y, 0, u * out);
            return y;
        }
        float[] full = new float[(m1 - m0) * u * out];
        c.m().apply(xp, m0 * in, in, m1 - m0, full, 0, u * out);
        float[] y = new float[outLen * out];
        System.arraycopy(full, (cropLeft - m0 * u) * out, y, 0, outLen * out);
        return y;
    }

    static float[] elu(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0f ? x[i] : (float) Math.expm1(x[i]);
        return y;
    }

    /** Whether the core kernels (and so {@link VectorElementwise}) run on the Vector API. */
    private static final boolean VECTOR = Kernels.ops().name().startsWith("vector");

    /** Snake (BigVGAN/HiFT): {@code x + sin²(αx) / (α + 1e-9)} over {@code x [T, C]}, α per channel. */
    static float[] snake(float[] x, int T, float[] alpha) {
        int C = alpha.length;
        float[] inv = new float[C];
        for (int c = 0; c < C; c++) inv[c] = 1f / (alpha[c] + 1e-9f);
        float[] y = new float[x.length];
        if (VECTOR) {
            VectorElementwise.snake(x, T, alpha, inv, y);
            return y;
        }
        for (int t = 0; t < T; t++)
            for (int c = 0; c < C; c++) y[t * C + c] = snake(x[t * C + c], alpha[c], inv[c]);
        return y;
    }

    /** In place {@code x[i] = sinf(x[i])}, {@code i < n}. */
    static void sin(float[] x, int n) {
        if (VECTOR) VectorElementwise.sin(x, n);
        else for (int i = 0; i < n; i++) x[i] = sinf(x[i]);
    }

    /** Snake of one value; {@code inv = 1 / (α + 1e-9)}. */
    static float snake(float v, float alpha, float inv) {
        float s = sinf(v * alpha);
        return v + inv * (s * s);
    }

    // sinf: Cody-Waite reduction by π/2 (three-part constant, fma), Cephes single-precision polynomials
    static final float SIN_TWO_OVER_PI = 0.63661977236758134f, SIN_MAGIC = 12582912f;  // 1.5 · 2^23
    static final float SIN_PIO2_1 = 1.5703125f, SIN_PIO2_2 = 4.837512969970703125e-4f, SIN_PIO2_3 = 7.54978995489e-8f;
    static final float SIN_S1 = -1.6666654611e-1f, SIN_S2 = 8.3321608736e-3f, SIN_S3 = -1.9515295891e-4f;
    static final float SIN_C1 = 4.166664568298827e-2f, SIN_C2 = -1.388731625493765e-3f, SIN_C3 = 2.443315711809948e-5f;

    /**
     * Single-precision sine from IEEE add, mul and fma only, so that the scalar code and every Vector API lane
     * ({@link VectorElementwise#sin}) give the same bits, compiled or not. Within 2 ulp of {@code (float) Math.sin}
     * for |x| up to about 10^5 (beyond, the three-part reduction loses accuracy; |x| ≥ 2^22·π/2 is not reduced).
     */
    static float sinf(float x) {
        float j = x * SIN_TWO_OVER_PI + SIN_MAGIC - SIN_MAGIC;  // round to nearest even
        int q = (int) j;
        float r = Math.fma(-j, SIN_PIO2_3, Math.fma(-j, SIN_PIO2_2, Math.fma(-j, SIN_PIO2_1, x)));
        float z = r * r;
        float s = Math.fma(Math.fma(Math.fma(z, SIN_S3, SIN_S2), z, SIN_S1) * z, r, r);
        float c = Math.fma(Math.fma(z, SIN_C3, SIN_C2), z, SIN_C1) * z * z - z * 0.5f + 1f;
        float y = (q & 1) != 0 ? c : s;
        return (q & 2) != 0 ? -y : y;
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
