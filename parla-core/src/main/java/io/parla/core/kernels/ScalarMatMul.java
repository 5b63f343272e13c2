package io.parla.core.kernels;

import io.parla.core.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/** Plain-Java reference of {@link MatMul}: the yardstick the vector kernel is tested against. */
public final class ScalarMatMul implements MatMul {
    @Override
    public void linear(float[] x, int xOff, int xStride, int rows, int in,
                       Weight w, MemorySegment b, float[] y, int yOff, int yStride, int out) {
        Parallel.forRange(out, 16, (o0, o1) -> {
            for (int o = o0; o < o1; o++) {
                long wRow = (long) o * in;
                float bias = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o);
                for (int t = 0; t < rows; t++) {
                    int xr = xOff + t * xStride;
                    float s = 0f;
                    for (int i = 0; i < in; i++) s += x[xr + i] * w.get(wRow + i);
                    y[yOff + t * yStride + o] = s + bias;
                }
            }
        });
    }

    @Override
    public String name() {
        return "scalar";
    }
}
