package io.parla.core.kernels;

/** Plain-Java {@link VectorOps}: the reference the vector version is tested against. */
public final class ScalarOps implements VectorOps {
    private static final double SQRT1_2 = 0.7071067811865476;

    @Override
    public void gelu(float[] x, int off, int n) {
        for (int i = off, e = off + n; i < e; i++) {
            double v = x[i];
            x[i] = (float) (0.5 * v * (1.0 + erf(v * SQRT1_2)));
        }
    }

    /** erf with relative error below 1.2e-7 (Chebyshev fit of erfc, Numerical Recipes 6.2). */
    public static double erf(double x) {
        double z = Math.abs(x);
        double t = 1.0 / (1.0 + 0.5 * z);
        double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        double erfc = x >= 0 ? r : 2.0 - r;
        return 1.0 - erfc;
    }

    @Override
    public float dot(float[] a, int ao, float[] b, int bo, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += a[ao + i] * b[bo + i];
        return s;
    }

    @Override
    public void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += alpha * x[xo + i];
    }

    @Override
    public void mulAdd(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n) {
        for (int i = 0; i < n; i++) y[yo + i] += a[ao + i] * b[bo + i];
    }

    @Override
    public float expShifted(float[] x, int off, int n, float max) {
        float sum = 0f;
        for (int i = off; i < off + n; i++) {
            x[i] = (float) Math.exp(x[i] - max);
            sum += x[i];
        }
        return sum;
    }

    @Override
    public String name() {
        return "scalar";
    }
}
