package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

/**
 * Vector API {@link MatMul}: a 4-row x 2-column register tile (8 accumulators, two weight loads and four
 * activation loads per step), rows blocked so a block of activations stays in L2 while the weight rows
 * stream past, output columns split over the cores. BF16 weights are widened in registers (shift left 16).
 */
public final class VectorMatMul implements MatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SH = ShortVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());
    private static final int L = S.length();
    private static final int ROW_BLOCK = 64;
    /** Butterfly shuffles for {@link #sum}: lane i swaps with lane i ^ 2^k. */
    private static final VectorShuffle<Float>[] BUTTERFLY = butterflies();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] butterflies() {
        int steps = Integer.numberOfTrailingZeros(L);
        VectorShuffle<Float>[] s = new VectorShuffle[steps];
        for (int k = 0; k < steps; k++) {
            final int bit = 1 << k;
            s[k] = VectorShuffle.fromOp(S, i -> i ^ bit);
        }
        return s;
    }

    /**
     * Horizontal sum in a fixed order. {@code reduceLanes(ADD)} may associate differently in interpreted and
     * compiled code, which would make the same input give bitwise different outputs before and after the JIT
     * warms up; element-wise butterfly adds are the same in both.
     */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> sh : BUTTERFLY) v = v.add(v.rearrange(sh));
        return v.lane(0);
    }

    /** L weights starting at element {@code index} of row-major {@code w}, widened to F32. */
    private static FloatVector load(MemorySegment w, long index, boolean bf16) {
        if (!bf16) return FloatVector.fromMemorySegment(S, w, index * 4, ByteOrder.LITTLE_ENDIAN);
        IntVector wide = (IntVector) ShortVector.fromMemorySegment(SH, w, index * 2, ByteOrder.LITTLE_ENDIAN)
                .convertShape(VectorOperators.S2I, SI, 0);
        return wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static float scalar(MemorySegment w, long index, boolean bf16) {
        return bf16 ? Float.intBitsToFloat((w.getAtIndex(Tensor.I16_LE, index) & 0xffff) << 16)
                : w.getAtIndex(Tensor.F32_LE, index);
    }

    @Override
    public void linear(float[] x, int xOff, int xStride, int rows, int in,
                       Weight w, MemorySegment b, float[] y, int yOff, int yStride, int out) {
        int grain = Math.max(4, (int) Math.min(256, 65536L / Math.max(1, (long) in * Math.min(rows, ROW_BLOCK))));
        boolean bf16 = w.dtype() == DType.BF16;
        MemorySegment ws = w.data();
        Parallel.forRange(out, grain, (o0, o1) -> {
            for (int t0 = 0; t0 < rows; t0 += ROW_BLOCK) {
                int t1 = Math.min(rows, t0 + ROW_BLOCK);
                block(x, xOff, xStride, t0, t1, in, ws, bf16, b, y, yOff, yStride, o0, o1);
            }
        });
    }

    private static void block(float[] x, int xOff, int xStride, int t0, int t1, int in, MemorySegment w, boolean bf16,
                              MemorySegment b, float[] y, int yOff, int yStride, int o0, int o1) {
        int upper = S.loopBound(in);
        int o = o0;
        for (; o + 1 < o1; o += 2) {
            long w0 = (long) o * in, w1 = w0 + in;
            float b0 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o);
            float b1 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o + 1);
            int t = t0;
            for (; t + 3 < t1; t += 4) {
                int r0 = xOff + t * xStride, r1 = r0 + xStride, r2 = r1 + xStride, r3 = r2 + xStride;
                FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S),
                        a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S),
                        a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
                int i = 0;
                for (; i < upper; i += L) {
                    FloatVector v0 = load(w, w0 + i, bf16);
                    FloatVector v1 = load(w, w1 + i, bf16);
                    FloatVector x0 = FloatVector.fromArray(S, x, r0 + i);
                    a00 = x0.fma(v0, a00);
                    a01 = x0.fma(v1, a01);
                    FloatVector x1 = FloatVector.fromArray(S, x, r1 + i);
                    a10 = x1.fma(v0, a10);
                    a11 = x1.fma(v1, a11);
                    FloatVector x2 = FloatVector.fromArray(S, x, r2 + i);
                    a20 = x2.fma(v0, a20);
                    a21 = x2.fma(v1, a21);
                    FloatVector x3 = FloatVector.fromArray(S, x, r3 + i);
                    a30 = x3.fma(v0, a30);
                    a31 = x3.fma(v1, a31);
                }
                float s00 = sum(a00), s01 = sum(a01), s10 = sum(a10), s11 = sum(a11),
                        s20 = sum(a20), s21 = sum(a21), s30 = sum(a30), s31 = sum(a31);
                for (; i < in; i++) {
                    float v0 = scalar(w, w0 + i, bf16), v1 = scalar(w, w1 + i, bf16);
                    s00 += x[r0 + i] * v0; s01 += x[r0 + i] * v1;
                    s10 += x[r1 + i] * v0; s11 += x[r1 + i] * v1;
                    s20 += x[r2 + i] * v0; s21 += x[r2 + i] * v1;
                    s30 += x[r3 + i] * v0; s31 += x[r3 + i] * v1;
                }
                int y0 = yOff + t * yStride + o;
                y[y0] = s00 + b0; y[y0 + 1] = s01 + b1;
                y[y0 + yStride] = s10 + b0; y[y0 + yStride + 1] = s11 + b1;
                y[y0 + 2 * yStride] = s20 + b0; y[y0 + 2 * yStride + 1] = s21 + b1;
                y[y0 + 3 * yStride] = s30 + b0; y[y0 + 3 * yStride + 1] = s31 + b1;
            }
            for (; t < t1; t++) {
                int r = xOff + t * xStride;
                y[yOff + t * yStride + o] = dot(x, r, w, w0, in, upper, bf16) + b0;
                y[yOff + t * yStride + o + 1] = dot(x, r, w, w1, in, upper, bf16) + b1;
            }
        }
        for (; o < o1; o++) {
            long w0 = (long) o * in;
            float b0 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o);
            for (int t = t0; t < t1; t++)
                y[yOff + t * yStride + o] = dot(x, xOff + t * xStride, w, w0, in, upper, bf16) + b0;
        }
    }

    private static float dot(float[] x, int r, MemorySegment w, long w0, int in, int upper, boolean bf16) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i < upper; i += L) acc = FloatVector.fromArray(S, x, r + i).fma(load(w, w0 + i, bf16), acc);
        float s = sum(acc);
        for (; i < in; i++) s += x[r + i] * scalar(w, w0 + i, bf16);
        return s;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + "bit";
    }
}
