package io.parla.core.nn;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.ScalarOps;

/** Element-wise functions with the exact forms the reference models use. */
public final class Activations {
    private static final double SQRT1_2 = 0.7071067811865476;

    private Activations() {}

    /** Elements per parallel GELU chunk: a multiple of every vector length, so no chunk but the last has a tail. */
    private static final int GELU_CHUNK = 1 << 14;

    /**
     * Exact (erf) GELU, in place: {@code 0.5 x (1 + erf(x / sqrt 2))}. Large arrays are split over the cores at
     * multiples of {@link #GELU_CHUNK}, so each element takes the same (vector or scalar tail) path as in one call.
     */
    public static void gelu(float[] x, int off, int n) {
        int parts = (n + GELU_CHUNK - 1) / GELU_CHUNK;
        if (parts <= 1) {
            Kernels.ops().gelu(x, off, n);
            return;
        }
        io.parla.core.kernels.Parallel.forRange(parts, 1, (p0, p1) -> {
            int a = p0 * GELU_CHUNK, e = p1 == parts ? n : p1 * GELU_CHUNK;
            Kernels.ops().gelu(x, off + a, e - a);
        });
    }

    public static void gelu(float[] x) {
        gelu(x, 0, x.length);
    }

    public static float gelu(float v) {
        return (float) (0.5 * v * (1.0 + ScalarOps.erf(v * SQRT1_2)));
    }

    public static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /** Snake, {@code x + sin^2(alpha x) / (alpha + 1e-9)}, per channel, in place on {@code [T, C]}. */
    public static void snake(float[] x, int frames, int channels, float[] alpha) {
        for (int t = 0; t < frames; t++) {
            int r = t * channels;
            for (int c = 0; c < channels; c++) {
                float a = alpha[c];
                float s = (float) Math.sin(a * x[r + c]);
                x[r + c] = x[r + c] + s * s / (a + 1e-9f);
            }
        }
    }

    /** DynamicTanh without affine: {@code tanh(alpha x)}, into {@code out}. */
    public static void dynamicTanh(float[] x, float alpha, float[] out, int n) {
        for (int i = 0; i < n; i++) out[i] = (float) Math.tanh(alpha * x[i]);
    }
}
