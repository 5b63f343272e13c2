package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vector API matmul equals the scalar reference for F32, BF16 and I8 weights, odd shapes, strides, bias. */
class MatMulKernelsTest {
    private final MatMul vec = new VectorMatMul(), ref = new ScalarMatMul();

    @Test
    void agreesWithScalarReference() {
        Random r = new Random(11);
        Arena arena = Arena.ofAuto();
        int[][] shapes = {{1, 1, 1}, {3, 17, 5}, {4, 64, 8}, {5, 100, 33}, {70, 40, 9}, {9, 1024, 6}};
        for (int[] sh : shapes) {
            int rows = sh[0], in = sh[1], out = sh[2];
            float[] w = new float[in * out];
            for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
            for (DType dt : new DType[] {DType.F32, DType.BF16, DType.I8}) {
                Weight weight;
                if (dt == DType.I8) {
                    weight = Weight.quantizeRows(i -> w[(int) i], out, in, arena);
                } else {
                    MemorySegment seg = arena.allocate((long) w.length * dt.bytes, 64);
                    for (int i = 0; i < w.length; i++) Weight.put(seg, dt, i, w[i]);
                    weight = new Weight(seg, dt, out, in);
                }
                int xStride = in + 3, yStride = out + 2;
                float[] x = new float[2 + rows * xStride];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                MemorySegment bias = r.nextBoolean() ? null : MemorySegment.ofArray(new float[0]);
                if (bias != null) {
                    bias = arena.allocate(out * 4L, 64);
                    for (int o = 0; o < out; o++) bias.setAtIndex(io.parla.core.tensor.Tensor.F32_LE, o, (float) r.nextGaussian());
                }
                float[] a = new float[1 + rows * yStride], b = new float[1 + rows * yStride];
                vec.linear(x, 2, xStride, rows, in, weight, bias, a, 1, yStride, out);
                ref.linear(x, 2, xStride, rows, in, weight, bias, b, 1, yStride, out);
                for (int i = 0; i < a.length; i++)
                    assertThat((double) Math.abs(a[i] - b[i])).as("%s %dx%dx%d at %d", dt, rows, in, out, i)
                            .isLessThanOrEqualTo(1e-5 * Math.sqrt(in) * Math.max(1, Math.abs(b[i])));
            }
        }
    }

    @Test
    void int8QuantisationErrorIsBoundedByHalfAStep() {
        Arena arena = Arena.ofAuto();
        float[] w = {0.5f, -1.27f, 0.001f, 1f, 0f, 0f, 0f, 0f};
        Weight q = Weight.quantizeRows(i -> w[(int) i], 2, 4, arena);
        assertThat(q.get(1)).isEqualTo(-1.27f, org.assertj.core.data.Offset.offset(1e-6f));
        for (int i = 0; i < 4; i++) assertThat((double) Math.abs(q.get(i) - w[i])).isLessThanOrEqualTo(1.27 / 127 / 2 + 1e-7);
        for (int i = 4; i < 8; i++) assertThat(q.get(i)).isZero();
    }
}
