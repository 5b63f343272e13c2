package io.parla.core.kernels;

import java.lang.foreign.MemorySegment;

/**
 * The one kernel that dominates every model here: a batch of rows times a transposed weight matrix,
 * {@code y[t, o] = b[o] + sum_i x[t, i] * W[o, i]} (PyTorch {@code Linear} layout, W is {@code [out, in]}).
 *
 * <p>Rows of x and y are addressed with an offset and a stride so that convolutions whose receptive
 * field is contiguous in a {@code [T, C]} activation (kernel = stride, or im2col-free strided convs)
 * run through the same kernel without copying.
 */
public interface MatMul {
    /**
     * @param x      activations; row t starts at {@code xOff + t * xStride} and has {@code in} values
     * @param w      weights {@code [out, in]}, row-major, F32 or BF16
     * @param b      F32 bias {@code [out]} or {@code null}
     * @param y      output; row t starts at {@code yOff + t * yStride}; columns [0, out) are overwritten
     */
    void linear(float[] x, int xOff, int xStride, int rows, int in,
                Weight w, MemorySegment b, float[] y, int yOff, int yStride, int out);

    /** Name shown by {@code parla info} and benchmarks. */
    String name();
}
