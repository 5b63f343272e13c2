package io.parla.core.kernels;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * {@link VectorMatMul}'s 4-row x 2-column dot-product tile (and its one-row pass for the rows left over) reading
 * BF16 or I8 weight rows straight from their segment and widening them in registers. A streaming step multiplies
 * only a few rows, so the weights are read once from memory; decoding them into a scratch first cost a store and a
 * reload per weight and made the int8 path compute-bound at half the memory bandwidth. The sums (lane chains,
 * butterfly, unfused tail, scale, bias) are exactly those of {@code VectorMatMul.tile} on decoded weights, so
 * results are bitwise the same. One method per weight type keeps every vector operation on one concrete type,
 * which the JIT needs to compile them.
 */
final class FusedTiles {
    private static final VectorSpecies<Float> S = VectorMatMul.S;
    private static final VectorSpecies<Short> SH = VectorMatMul.SH;
    private static final VectorSpecies<Byte> SB = VectorMatMul.SB;
    private static final VectorSpecies<Integer> SI = VectorMatMul.SI;
    private static final int L = VectorMatMul.L;

    private FusedTiles() {}

    /** Rows [0, rows) x weight rows {@code first / in} and the next; y points at that column. */
    static void i8(float[] x, int xOff, int xStride, int rows, int in, MemorySegment seg, long first,
                   float c0, float c1, float b0, float b1, float[] y, int yCol, int yStride, float[] park) {
        int upper = S.loopBound(in);
        long first1 = first + in;
        int t = 0;
        for (; t + 3 < rows; t += 4) {
            int r0 = xOff + t * xStride, r1 = r0 + xStride, r2 = r1 + xStride, r3 = r2 + xStride;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S),
                    a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S),
                    a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int i = 0; i < upper; i += L) {
                FloatVector v0 = (FloatVector) ByteVector.fromMemorySegment(SB, seg, first + i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2F, S, 0);
                FloatVector v1 = (FloatVector) ByteVector.fromMemorySegment(SB, seg, first1 + i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2F, S, 0);
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
            a00.intoArray(park, 0); a01.intoArray(park, L); a10.intoArray(park, 2 * L); a11.intoArray(park, 3 * L);
            a20.intoArray(park, 4 * L); a21.intoArray(park, 5 * L); a30.intoArray(park, 6 * L); a31.intoArray(park, 7 * L);
            VectorMatMul.reduceParked8(park);
            float s00 = park[0], s01 = park[1], s10 = park[2], s11 = park[3], s20 = park[4], s21 = park[5],
                    s30 = park[6], s31 = park[7];
            for (int i = upper; i < in; i++) {
                float v0 = seg.get(ValueLayout.JAVA_BYTE, first + i), v1 = seg.get(ValueLayout.JAVA_BYTE, first1 + i);
                s00 += x[r0 + i] * v0; s01 += x[r0 + i] * v1;
                s10 += x[r1 + i] * v0; s11 += x[r1 + i] * v1;
                s20 += x[r2 + i] * v0; s21 += x[r2 + i] * v1;
                s30 += x[r3 + i] * v0; s31 += x[r3 + i] * v1;
            }
            VectorMatMul.store(s00, s01, s10, s11, s20, s21, s30, s31, c0, c1, b0, b1, y, yCol + t * yStride, yStride);
        }
        // rows left over (a streaming step of one row, e.g. the refiner's whole-chunk projection): the two-chain
        // pass of VectorMatMul.tile, widening in registers instead of decoding the rows into a scratch first
        for (; t < rows; t++) {
            int r = xOff + t * xStride;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            for (int i = 0; i < upper; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, r + i);
                a0 = xv.fma((FloatVector) ByteVector.fromMemorySegment(SB, seg, first + i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2F, S, 0), a0);
                a1 = xv.fma((FloatVector) ByteVector.fromMemorySegment(SB, seg, first1 + i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.B2F, S, 0), a1);
            }
            a0.intoArray(park, 0);
            a1.intoArray(park, L);
            float s0 = VectorMatMul.sumParked(park, 0), s1 = VectorMatMul.sumParked(park, L);
            for (int i = upper; i < in; i++) {
                s0 += x[r + i] * seg.get(ValueLayout.JAVA_BYTE, first + i);
                s1 += x[r + i] * seg.get(ValueLayout.JAVA_BYTE, first1 + i);
            }
            y[yCol + t * yStride] = s0 * c0 + b0;
            y[yCol + t * yStride + 1] = s1 * c1 + b1;
        }
    }

    /** As {@link #i8} for BF16 weights (the upper half of an F32: widening is a shift). */
    static void bf16(float[] x, int xOff, int xStride, int rows, int in, MemorySegment seg, long first,
                     float c0, float c1, float b0, float b1, float[] y, int yCol, int yStride, float[] park) {
        int upper = S.loopBound(in);
        long byte0 = first * 2, byte1 = (first + in) * 2;
        int t = 0;
        for (; t + 3 < rows; t += 4) {
            int r0 = xOff + t * xStride, r1 = r0 + xStride, r2 = r1 + xStride, r3 = r2 + xStride;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S),
                    a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S),
                    a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            for (int i = 0; i < upper; i += L) {
                FloatVector v0 = ((IntVector) ShortVector.fromMemorySegment(SH, seg, byte0 + 2L * i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.S2I, SI, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
                FloatVector v1 = ((IntVector) ShortVector.fromMemorySegment(SH, seg, byte1 + 2L * i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.S2I, SI, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
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
            a00.intoArray(park, 0); a01.intoArray(park, L); a10.intoArray(park, 2 * L); a11.intoArray(park, 3 * L);
            a20.intoArray(park, 4 * L); a21.intoArray(park, 5 * L); a30.intoArray(park, 6 * L); a31.intoArray(park, 7 * L);
            VectorMatMul.reduceParked8(park);
            float s00 = park[0], s01 = park[1], s10 = park[2], s11 = park[3], s20 = park[4], s21 = park[5],
                    s30 = park[6], s31 = park[7];
            for (int i = upper; i < in; i++) {
                float v0 = bf16(seg, byte0 + 2L * i), v1 = bf16(seg, byte1 + 2L * i);
                s00 += x[r0 + i] * v0; s01 += x[r0 + i] * v1;
                s10 += x[r1 + i] * v0; s11 += x[r1 + i] * v1;
                s20 += x[r2 + i] * v0; s21 += x[r2 + i] * v1;
                s30 += x[r3 + i] * v0; s31 += x[r3 + i] * v1;
            }
            VectorMatMul.store(s00, s01, s10, s11, s20, s21, s30, s31, c0, c1, b0, b1, y, yCol + t * yStride, yStride);
        }
        for (; t < rows; t++) {
            int r = xOff + t * xStride;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            for (int i = 0; i < upper; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, r + i);
                a0 = xv.fma(((IntVector) ShortVector.fromMemorySegment(SH, seg, byte0 + 2L * i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.S2I, SI, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a0);
                a1 = xv.fma(((IntVector) ShortVector.fromMemorySegment(SH, seg, byte1 + 2L * i, ByteOrder.LITTLE_ENDIAN)
                        .convertShape(VectorOperators.S2I, SI, 0)).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats(), a1);
            }
            a0.intoArray(park, 0);
            a1.intoArray(park, L);
            float s0 = VectorMatMul.sumParked(park, 0), s1 = VectorMatMul.sumParked(park, L);
            for (int i = upper; i < in; i++) {
                s0 += x[r + i] * bf16(seg, byte0 + 2L * i);
                s1 += x[r + i] * bf16(seg, byte1 + 2L * i);
            }
            y[yCol + t * yStride] = s0 * c0 + b0;
            y[yCol + t * yStride + 1] = s1 * c1 + b1;
        }
    }

    private static float bf16(MemorySegment seg, long byteOffset) {
        return Float.intBitsToFloat((seg.get(io.parla.core.tensor.Tensor.I16_LE, byteOffset) & 0xffff) << 16);
    }
}
