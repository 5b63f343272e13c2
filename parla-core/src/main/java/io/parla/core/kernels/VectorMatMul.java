package io.parla.core.kernels;

import io.parla.core.tensor.Tensor;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Vector API {@link MatMul}. Output columns are split over the cores. Each core takes two weight rows at a
 * time through a 4-row x 2-column dot-product register tile (8 accumulators): BF16 and I8 rows are widened
 * inside the tile ({@link FusedTiles}); F32 rows (and the odd last column) are first decoded
 * into a small F32 scratch (a copy for F32, a widening for BF16, a conversion for I8, whose row scale is
 * applied to the finished sums). Decoding in its own small loop keeps every vector operation of the tile on one concrete
 * type, which the JIT needs in order to compile them to instructions. Layers with very few inputs per output
 * (the 10-sample first convolution) are vectorised across outputs instead. Calls with many rows go to
 * {@link PackedGemm}, which computes the same sums in the same order with far more reuse per load.
 */
public final class VectorMatMul implements MatMul {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Short> SH = ShortVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(S.vectorBitSize() / 2));
    static final VectorSpecies<Byte> SB = ByteVector.SPECIES_PREFERRED.withShape(
            VectorShape.forBitSize(S.vectorBitSize() / 4));
    static final VectorSpecies<Integer> SI = IntVector.SPECIES_PREFERRED.withShape(S.vectorShape());
    static final int L = S.length();
    /** From this many rows on, the weights are reused enough to block them ({@link #blocked}). */
    static final int BLOCK_ROWS = 16;
    /**
     * From this many rows on, packing the weights for {@link PackedGemm} pays for itself (measured: at 16-64 rows
     * the blocked tiles were 1.2-2x faster, from about 128 rows the packed GEMM).
     */
    static final int GEMM_ROWS = Integer.getInteger("parla.gemmRows", 128);
    // one field per butterfly step: the JIT folds a static final shuffle into the instruction, while shuffles
    // read from an array were rebuilt on every use (a single-row product spent most of its time there)
    private static final VectorShuffle<Float> SWAP1 = swap(1), SWAP2 = swap(2), SWAP4 = swap(4), SWAP8 = swap(8);
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[1][0]);

    private static VectorShuffle<Float> swap(int bit) {
        return VectorShuffle.fromOp(S, i -> bit < L ? i ^ bit : i);
    }

    /** The 4x2 tile's sums, scaled and biased, into rows y0.. of two adjacent output columns. */
    static void store(float s00, float s01, float s10, float s11, float s20, float s21, float s30, float s31,
                      float c0, float c1, float b0, float b1, float[] y, int y0, int yStride) {
        y[y0] = s00 * c0 + b0; y[y0 + 1] = s01 * c1 + b1;
        y[y0 + yStride] = s10 * c0 + b0; y[y0 + yStride + 1] = s11 * c1 + b1;
        y[y0 + 2 * yStride] = s20 * c0 + b0; y[y0 + 2 * yStride + 1] = s21 * c1 + b1;
        y[y0 + 3 * yStride] = s30 * c0 + b0; y[y0 + 3 * yStride + 1] = s31 * c1 + b1;
    }

    /**
     * Horizontal sum in a fixed order. {@code reduceLanes(ADD)} may associate differently in interpreted and
     * compiled code, which would make the same input give bitwise different outputs before and after the JIT
     * warms up; element-wise butterfly adds are the same in both.
     */
    static float sum(FloatVector v) {
        if (L > 1) v = v.add(v.rearrange(SWAP1));
        if (L > 2) v = v.add(v.rearrange(SWAP2));
        if (L > 4) v = v.add(v.rearrange(SWAP4));
        if (L > 8) v = v.add(v.rearrange(SWAP8));
        return v.lane(0);
    }

    /**
     * Lanes {@code [at, at + L)} of {@code a} summed in {@link #sum}'s order: the butterfly leaves in lane 0 the
     * balanced tree of adjacent pairs, ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) for 8 lanes.
     *
     * <p>Why the big tiles park their accumulators in an array and sum them here: after the Vector API is inlined,
     * a 4 x 2 tile is so large that C2 stops inlining before the last {@link #sum} calls (NodeCountInliningCutoff),
     * and each call it does not inline boxes its vector on the heap. Measured on int8 50hz_2k_causal streaming:
     * about 20 MB of such boxes per 80 ms chunk, a third of the process's allocation.
     */
    static float sumParked(float[] a, int at) {
        return tree(a, at, L);
    }

    private static float tree(float[] a, int at, int n) {
        if (n == 1) return a[at];
        if (n == 8) return ((a[at] + a[at + 1]) + (a[at + 2] + a[at + 3])) + ((a[at + 4] + a[at + 5]) + (a[at + 6] + a[at + 7]));
        int h = n >> 1;
        return tree(a, at, h) + tree(a, at + h, h);
    }

    // lanes whose index has bit 0, 1 or 2 set: where the next accumulator's partial sums go at each reduction level
    private static final VectorMask<Float> BIT0 = VectorMask.fromLong(S, 0xAAAAAAAAAAAAAAAAL),
            BIT1 = VectorMask.fromLong(S, 0xCCCCCCCCCCCCCCCCL), BIT2 = VectorMask.fromLong(S, 0xF0F0F0F0F0F0F0F0L);

    /**
     * The eight accumulators parked in {@code park[0, 8L)} (as the 4 x 2 tiles leave them) summed, each in
     * {@link #sumParked}'s order, into {@code park[0, 8)}. A transposing butterfly: at each level every vector adds
     * its lanes one swap apart (the tree's next level, for all of its lanes at once) and pairs of vectors are
     * merged by a blend, so one vector ends with all eight sums. Why: the eight scalar trees cost about 250 loads
     * and adds per tile, against 512 fused multiply-adds for 1,024 inputs; this takes 37 vector operations.
     * IEEE addition is commutative, so a lane holding {@code b + a} where the tree has {@code a + b} has its bits.
     */
    static void reduceParked8(float[] park) {
        if (L < 8) {
            for (int k = 0; k < 8; k++) park[k] = tree(park, k * L, L);  // in order: slot k is read before written
            return;
        }
        FloatVector r0 = pairSums(park, 0, 1), r1 = pairSums(park, 2, 3), r2 = pairSums(park, 4, 5), r3 = pairSums(park, 6, 7);
        r0 = r0.add(r0.rearrange(SWAP2));
        r1 = r1.add(r1.rearrange(SWAP2));
        r2 = r2.add(r2.rearrange(SWAP2));
        r3 = r3.add(r3.rearrange(SWAP2));
        FloatVector s0 = r0.blend(r1, BIT1), s1 = r2.blend(r3, BIT1);
        s0 = s0.add(s0.rearrange(SWAP4));
        s1 = s1.add(s1.rearrange(SWAP4));
        FloatVector u = s0.blend(s1, BIT2);
        if (L > 8) u = u.add(u.rearrange(SWAP8));
        u.intoArray(park, 0);
    }

    /** Accumulators a and b: even lanes hold a's adjacent-pair sums, odd lanes b's. */
    private static FloatVector pairSums(float[] park, int a, int b) {
        FloatVector va = FloatVector.fromArray(S, park, a * L), vb = FloatVector.fromArray(S, park, b * L);
        return va.add(va.rearrange(SWAP1)).blend(vb.add(vb.rearrange(SWAP1)), BIT0);
    }

    /** Per-thread room for eight parked accumulators (see {@link #sumParked}); callers fetch it once per parallel range. */
    static final ThreadLocal<float[]> PARK = ThreadLocal.withInitial(() -> new float[8 * L]);

    @Override
    public void linear(float[] x, int xOff, int xStride, int rows, int in,
                       Weight w, MemorySegment b, float[] y, int yOff, int yStride, int out) {
        // the path must not depend on rows: a row's result then does not depend on how many rows a call has,
        // which chunked (streaming) callers rely on to reproduce their offline results bit for bit
        if (in < 2 * L) {
            narrow(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
            return;
        }
        // same bits as the tiles below (see PackedGemm), so the switch may depend on rows and on the JIT
        if (rows >= GEMM_ROWS && !Kernels.coldForCaller()) {
            PackedGemm.linear(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
            return;
        }
        if (rows >= BLOCK_ROWS) {
            blocked(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
            return;
        }
        // few rows (a streaming step): each weight is used a few times only, so the weights stream from memory
        // and converting them must keep up: BF16 and I8 are widened inside the tile, straight from the mapping.
        // F32 rows are copied first: read in the tile straight from the mapping they were no faster (measured on
        // 50hz_2k_causal streaming: 0.60-0.70x real time against 0.66-0.68x with the copy)
        // While the background warm-up has not had C2 compile the fused tiles, BF16/I8 take the decode path too
        // (same bits): its F32 tile is compiled first, since the activations' products use it from the start
        boolean fused = w.dtype() != io.parla.core.tensor.DType.F32 && !Kernels.coldForCaller();
        int grain = Math.max(2, (int) Math.min(256, 65536L / Math.max(1, (long) in * rows)));
        Parallel.forRange(out, grain, (o0, o1) -> {
            float[][] scratch = SCRATCH.get();
            float[] park = PARK.get();
            if (scratch[0].length < 2 * in) scratch[0] = new float[2 * in];
            float[] wb = scratch[0];
            for (int o = o0; o < o1; o += 2) {
                boolean pair = o + 1 < o1;
                float b0 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o), c0 = scale(w, o);
                float b1 = pair && b != null ? b.getAtIndex(Tensor.F32_LE, o + 1) : 0f, c1 = pair ? scale(w, o + 1) : 0f;
                if (pair && fused) {
                    if (w.dtype() == io.parla.core.tensor.DType.I8)
                        FusedTiles.i8(x, xOff, xStride, rows, in, w.data(), (long) o * in, c0, c1, b0, b1, y, yOff + o, yStride, park);
                    else
                        FusedTiles.bf16(x, xOff, xStride, rows, in, w.data(), (long) o * in, c0, c1, b0, b1, y, yOff + o, yStride, park);
                    continue;
                }
                decode(w, o, in, wb, 0);
                if (pair) {
                    decode(w, o + 1, in, wb, in);
                    tile(x, xOff, xStride, 0, rows, in, wb, 0, in, c0, c1, b0, b1, y, yOff + o, yStride, park);
                } else {
                    for (int t = 0; t < rows; t++) y[yOff + o + t * yStride] = dot(x, xOff + t * xStride, wb, 0, in) * c0 + b0;
                }
            }
        });
    }

    /**
     * Tens of rows (streaming convolutions), or many rows while the packed GEMM is still uncompiled: blocks of
     * decoded weight rows stay in L2 while blocks of 64 input rows pass them through the dot-product tile.
     */
    static void blocked(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                                float[] y, int yOff, int yStride, int out) {
        int colBlock = (int) Math.max(2, Math.min(64, (256 * 1024 / 4) / Math.max(1, in)) & ~1);
        Parallel.forRange(out, colBlock, (o0, o1) -> {
            float[][] scratch = SCRATCH.get();
            float[] park = PARK.get();
            if (scratch[0].length < colBlock * in) scratch[0] = new float[colBlock * in];
            float[] wb = scratch[0];
            for (int ob = o0; ob < o1; ob += colBlock) {
                int oe = Math.min(o1, ob + colBlock);
                for (int o = ob; o < oe; o++) decode(w, o, in, wb, (o - ob) * in);
                for (int t0 = 0; t0 < rows; t0 += 64) {
                    int t1 = Math.min(rows, t0 + 64);
                    for (int o = ob; o < oe; o += 2) {
                        float b0 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o), c0 = scale(w, o);
                        int w0 = (o - ob) * in;
                        if (o + 1 < oe) {
                            float b1 = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o + 1), c1 = scale(w, o + 1);
                            tile(x, xOff, xStride, t0, t1, in, wb, w0, w0 + in, c0, c1, b0, b1, y, yOff + o, yStride, park);
                        } else {
                            for (int t = t0; t < t1; t++)
                                y[yOff + o + t * yStride] = dot(x, xOff + t * xStride, wb, w0, in) * c0 + b0;
                        }
                    }
                }
            }
        });
    }

    /**
     * Few inputs per output (the first convolution of the encoder reads 10 samples per frame): vectorise across
     * output columns instead, with the weights transposed to {@code [in, out]}.
     */
    private static void narrow(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                               float[] y, int yOff, int yStride, int out) {
        float[] wt = new float[in * out];
        float[] row = new float[in];
        float[] bias = new float[out];
        for (int o = 0; o < out; o++) {
            decode(w, o, in, row, 0);
            float c = scale(w, o);
            for (int i = 0; i < in; i++) wt[i * out + o] = row[i] * c;
            bias[o] = b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o);
        }
        int upper = S.loopBound(out);
        Parallel.forRange(rows, 64, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int xr = xOff + t * xStride, yr = yOff + t * yStride;
                int o = 0;
                for (; o < upper; o += L) {
                    FloatVector acc = FloatVector.fromArray(S, bias, o);
                    for (int i = 0; i < in; i++)
                        acc = FloatVector.fromArray(S, wt, i * out + o).fma(FloatVector.broadcast(S, x[xr + i]), acc);
                    acc.intoArray(y, yr + o);
                }
                for (; o < out; o++) {
                    float s2 = bias[o];
                    for (int i = 0; i < in; i++) s2 = Math.fma(wt[i * out + o], x[xr + i], s2);
                    y[yr + o] = s2;
                }
            }
        });
    }

    private static float scale(Weight w, int row) {
        return w.scales() == null ? 1f : w.scales().getAtIndex(Tensor.F32_LE, row);
    }

    /** Row {@code o} of the weights as F32 (I8: unscaled) into {@code dst[0, in)}. */
    static void decode(Weight w, int o, int in, float[] dst, int at) {
        MemorySegment seg = w.data();
        long first = (long) o * in;
        switch (w.dtype()) {
            case F32 -> MemorySegment.copy(seg, Tensor.F32_LE, first * 4, dst, at, in);
            case BF16 -> decodeBf16(seg, first, in, dst, at);
            default -> decodeI8(seg, first, in, dst, at);
        }
    }

    private static void decodeBf16(MemorySegment seg, long first, int in, float[] dst, int at) {
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) {
            IntVector wide = (IntVector) ShortVector.fromMemorySegment(SH, seg, (first + i) * 2, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.S2I, SI, 0);
            wide.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats().intoArray(dst, at + i);
        }
        for (; i < in; i++) dst[at + i] = Float.intBitsToFloat((seg.getAtIndex(Tensor.I16_LE, first + i) & 0xffff) << 16);
    }

    private static void decodeI8(MemorySegment seg, long first, int in, float[] dst, int at) {
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) {
            ((FloatVector) ByteVector.fromMemorySegment(SB, seg, first + i, ByteOrder.LITTLE_ENDIAN)
                    .convertShape(VectorOperators.B2F, S, 0)).intoArray(dst, at + i);
        }
        for (; i < in; i++) dst[at + i] = seg.get(ValueLayout.JAVA_BYTE, first + i);
    }

    /** Two output columns (weights {@code w0}, {@code w1}) for input rows [t0, t1); y points at column o. */
    private static void tile(float[] x, int xOff, int xStride, int t0, int t1, int in, float[] w, int w0, int w1,
                             float c0, float c1, float b0, float b1, float[] y, int yCol, int yStride, float[] park) {
        int upper = S.loopBound(in);
        int t = t0;
        for (; t + 3 < t1; t += 4) {
            int r0 = xOff + t * xStride, r1 = r0 + xStride, r2 = r1 + xStride, r3 = r2 + xStride;
            FloatVector a00 = FloatVector.zero(S), a01 = FloatVector.zero(S), a10 = FloatVector.zero(S),
                    a11 = FloatVector.zero(S), a20 = FloatVector.zero(S), a21 = FloatVector.zero(S),
                    a30 = FloatVector.zero(S), a31 = FloatVector.zero(S);
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector v0 = FloatVector.fromArray(S, w, w0 + i);
                FloatVector v1 = FloatVector.fromArray(S, w, w1 + i);
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
            reduceParked8(park);
            float s00 = park[0], s01 = park[1], s10 = park[2], s11 = park[3], s20 = park[4], s21 = park[5],
                    s30 = park[6], s31 = park[7];
            for (; i < in; i++) {
                float v0 = w[w0 + i], v1 = w[w1 + i];
                s00 += x[r0 + i] * v0; s01 += x[r0 + i] * v1;
                s10 += x[r1 + i] * v0; s11 += x[r1 + i] * v1;
                s20 += x[r2 + i] * v0; s21 += x[r2 + i] * v1;
                s30 += x[r3 + i] * v0; s31 += x[r3 + i] * v1;
            }
            store(s00, s01, s10, s11, s20, s21, s30, s31, c0, c1, b0, b1, y, yCol + t * yStride, yStride);
        }
        // rows left over: both columns in one pass, two independent chains instead of one latency-bound chain
        for (; t < t1; t++) {
            int r = xOff + t * xStride;
            FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
            int i = 0;
            for (; i < upper; i += L) {
                FloatVector xv = FloatVector.fromArray(S, x, r + i);
                a0 = xv.fma(FloatVector.fromArray(S, w, w0 + i), a0);
                a1 = xv.fma(FloatVector.fromArray(S, w, w1 + i), a1);
            }
            a0.intoArray(park, 0);
            a1.intoArray(park, L);
            float s0 = sumParked(park, 0), s1 = sumParked(park, L);
            for (; i < in; i++) {
                s0 += x[r + i] * w[w0 + i];
                s1 += x[r + i] * w[w1 + i];
            }
            y[yCol + t * yStride] = s0 * c0 + b0;
            y[yCol + t * yStride + 1] = s1 * c1 + b1;
        }
    }

    private static float dot(float[] x, int r, float[] w, int w0, int in) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0, upper = S.loopBound(in);
        for (; i < upper; i += L) acc = FloatVector.fromArray(S, x, r + i).fma(FloatVector.fromArray(S, w, w0 + i), acc);
        float s = sum(acc);
        for (; i < in; i++) s += x[r + i] * w[w0 + i];
        return s;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize() + "bit";
    }
}
