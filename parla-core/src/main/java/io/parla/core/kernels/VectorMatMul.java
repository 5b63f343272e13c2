package io.parla.core.kernels;

import io.parla.core.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Vector API {@link MatMul}. Output columns are split over the cores; for each pair of output columns the two
 * weight rows are decoded once into an L1-resident F32 scratch (a copy for F32, a widening for BF16, a
 * conversion for I8, whose row scale is applied to the finished sums), then a 4-row x 2-column register tile
 * (8 accumulators) runs over a block of input rows. Decoding in a separate small loop keeps every vector
 * operation of the tile on one concrete type, which the JIT needs in order to compile them to instructions.
 */
public final class VectorMatMul implements MatMul {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Short> SH = ShortVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(S.vectorBitSize() / 2));
    private static final VectorSpecies<Byte> SB = ByteVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(S.vectorBitSize() / 4));
    private static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());
    private static final int L = S.length();
    private static final int ROW_BLOCK = 64;
    private static final VectorShuffle<Float>[] BUTTERFLY = butterflies();
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][0]);

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

    @Override
    public void linear(float[] x, int xOff, int xStride, int rows, int in,
                       Weight w, MemorySegment b, float[] y, int yOff, int yStride, int out) {
        int grain = Math.max(4, (int) Math.min(256, 65536L / Math.max(1, (long) in * Math.min(rows, ROW_BLOCK))));
        Parallel.forRange(out, grain, (o0, o1) -> {
            float[][] scratch = SCRATCH.get();
            if (scratch[0].length < in) {
                scratch[0] = new float[in];
                scratch[1] = new float[in];
            }
            float[] w0 = scratch[0], w1 = scratch[1];
            for (int o = o0; o < o1; o += 2) {
                boolean pair = o + 1 < o1;
                decode(w, o, in, w0);
                if (pair) decode(w, o + 1, in, w1);
                float b0 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o);
                float b1 = b == null || !pair ? 0f : b.getAtIndex(Tensor.F32_LE, o + 1);
                float c0 = scale(w, o), c1 = pair ? scale(w, o + 1) : 0f;
                for (int t0 = 0; t0 < rows; t0 += ROW_BLOCK) {
                    int t1 = Math.min(rows, t0 + ROW_BLOCK);
                    if (pair) tile(x, xOff, xStride, t0, t1, in, w0, w1, c0, c1, b0, b1, y, yOff + o, yStride);
                    else single(x, xOff, xStride, t0, t1, in, w0, c0, b0, y, yOff + o, yStride);
                }
            }
        });
    }

    private static float scale(Weight w, int row) {
        return w.scales() == null ? 1f : w.scales().getAtIndex(Tensor.F32_LE, row);
    }

    /** Row {@code o} of the weights as F32 (I8: unscaled) into {@code dst[0, in)}. */
    private static void decode(Weight w, int o, int in, float[] dst) {
        MemorySegment seg = w.data();
        long first = (long) o * in;
        switch (w.dtype()) {
            case F32 -> MemorySegment.copy(seg, Tensor.F32_LE, first * 4, dst, 0, in);
            case BF16 -> decodeBf16(seg, first, in, dst);
            default -> decodeI8(seg, first, in, dst);
        }
    }

    private static void decodeBf16(MemorySegment seg, long first, int in, float[] dst) {
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) {
            IntVector wide = (IntVector) ShortVector.fromMemorySegment(SH, seg, (first + i) * 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, SI, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, i);
        }
        for (; i < in; i++) dst[i] = Float.intBitsToFloat((seg.getAtIndex(Tensor.I16_LE, first + i) & 0xffff) << 16);
    }

    private static void decodeI8(MemorySegment seg, long first, int in, float[] dst) {
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) {
            ((FloatVector) ByteVector.fromMemorySegment(SB, seg, first + i, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, S, 0)).intoArray(dst, i);
        }
        for (; i < in; i++) dst[i] = seg.get(ValueLayout.JAVA_BYTE, first + i);
    }

    /** Two output columns (weights {@code w0}, {@code w1}) for input rows [t0, t1); y points at column o. */
    private static void tile(float[] x, int xOff, int xStride, int t0, int t1, int in, float[] w0, float[] w1,
                             float c0, float c1, float b0, float b1, float[] y, int yCol, int yStride) {
        int upper = S.loopBound(in);
        int t = t0;
        for (; t + 3 < t1; t += 4) {
            int r0 = xOff + t * xStride, r1 = r0 + xStride, r2 = r1 + xStride, r3 = r2 + xStride;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S),
                    a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S),
                    a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector v0 = FloatVector.fromArray(S, w0, i);
                FloatVector v1 = FloatVector.fromArray(S, w1, i);
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
                s00 += x[r0 + i] * w0[i]; s01 += x[r0 + i] * w1[i];
                s10 += x[r1 + i] * w0[i]; s11 += x[r1 + i] * w1[i];
                s20 += x[r2 + i] * w0[i]; s21 += x[r2 + i] * w1[i];
                s30 += x[r3 + i] * w0[i]; s31 += x[r3 + i] * w1[i];
            }
            int y0 = yCol + t * yStride;
            y[y0] = s00 * c0 + b0; y[y0 + 1] = s01 * c1 + b1;
            y[y0 + yStride] = s10 * c0 + b0; y[y0 + yStride + 1] = s11 * c1 + b1;
            y[y0 + 2 * yStride] = s20 * c0 + b0; y[y0 + 2 * yStride + 1] = s21 * c1 + b1;
            y[y0 + 3 * yStride] = s30 * c0 + b0; y[y0 + 3 * yStride + 1] = s31 * c1 + b1;
        }
        for (; t < t1; t++) {
            int r = xOff + t * xStride;
            y[yCol + t * yStride] = dot(x, r, w0, in) * c0 + b0;
            y[yCol + t * yStride + 1] = dot(x, r, w1, in) * c1 + b1;
        }
    }

    private static void single(float[] x, int xOff, int xStride, int t0, int t1, int in, float[] w0, float c0,
                               float b0, float[] y, int yCol, int yStride) {
        for (int t = t0; t < t1; t++) y[yCol + t * yStride] = dot(x, xOff + t * xStride, w0, in) * c0 + b0;
    }

    private static float dot(float[] x, int r, float[] w, int in) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) acc = FloatVector.fromArray(S, x, r + i).fma(FloatVector.fromArray(S, w, i), acc);
        float s = sum(acc);
        for (; i < in; i++) s += x[r + i] * w[i];
        return s;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + "bit";
    }
}
