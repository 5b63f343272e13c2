package io.parla.core.kernels;

/** Element-wise and small-vector kernels; {@link Kernels#ops()} picks the Vector API or scalar implementation. */
public interface VectorOps {
    /** Exact-form GELU in place, {@code 0.5 x (1 + erf(x / sqrt 2))}, to within 2e-7 absolute of the erf form. */
    void gelu(float[] x, int off, int n);

    /** {@code sum a[ao + i] * b[bo + i]} over {@code i < n}, summed in a fixed order. */
    float dot(float[] a, int ao, float[] b, int bo, int n);

    /** {@code y[yo + i] += alpha * x[xo + i]}. */
    void axpy(float alpha, float[] x, int xo, float[] y, int yo, int n);

    /**
     * {@code y[yo + i] += a[ao + i] * b[bo + i]} with the product rounded before the add (not fused), so that the
     * Vector API and scalar forms give the same bits.
     */
    void mulAdd(float[] a, int ao, float[] b, int bo, float[] y, int yo, int n);

    /** {@code x[i] = exp(x[i] - max)} over {@code [off, off + n)}; returns their sum (fixed order). */
    float expShifted(float[] x, int off, int n, float max);

    String name();
}
