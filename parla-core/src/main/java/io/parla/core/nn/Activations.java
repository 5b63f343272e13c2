package io.parla.core.nn;

/** Element-wise functions with the exact forms the reference models use. */
public final class Activations {
    private static final double SQRT1_2 = 0.7071067811865476;

    private Activations() {}

    /** Exact (erf) GELU, in place: {@code 0.5 x (1 + erf(x / sqrt 2))}. */
    public static void gelu(float[] x, int off, int n) {
        for (int i = off, e = off + n; i < e; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + erf(v * SQRT1_2)));
        }
    }

    public static void gelu(float[] x) {
        gelu(x, 0, x.length);
    }

    public static float gelu(float v) {
        return (float) (0.5 * v * (1.0 + erf(v * SQRT1_2)));
    }

    public static float sigmoid(float v) {
        return (float) (1.0 / (1.0 + Math.exp(-v)));
    }

    /**
     * erf with relative error below 1.2e-7 everywhere (Chebyshev fit of erfc, Numerical Recipes 6.2), which is
     * below float32 resolution: GELU outputs match PyTorch's to float rounding.
     */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double erfc = x >= 0 ? r : 2.0 - r;
        return 1.0 - erfc;
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
