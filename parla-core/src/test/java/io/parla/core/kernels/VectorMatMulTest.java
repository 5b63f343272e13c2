package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * {@link VectorMatMul} against {@link ScalarMatMul} and a double-precision reference, on random shapes: sizes
 * below, at and above the vector length and the 4x2 register tile and 64-row block and the packed GEMM's
 * 6x16 tile, input and output rows with offsets and strides wider than the row, F32, BF16 and I8 weights, with
 * and without bias. Tolerance: 1e-5
 * relative to the magnitude of the dot product's terms ({@code |b| + sum |x_i w_i|}), which bounds the
 * rounding error of any summation order.
 */
class VectorMatMulTest {
    private static final double TOLERANCE = 1e-5;

    record Case(int rows, int in, int out, int xOff, int xStride, int yOff, int yStride, DType dtype, boolean bias, long seed) {
        @Override
        public String toString() {
            return rows + "x" + in + "->" + out + " xOff " + xOff + " xStride " + xStride + " yOff " + yOff + " yStride "
                    + yStride + " " + dtype + (bias ? " bias" : " no-bias");
        }
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        int[][] fixed = {{1, 1, 1}, {1, 15, 3}, {4, 16, 2}, {3, 17, 5}, {5, 33, 7}, {64, 64, 64}, {65, 31, 9},
                {130, 7, 3}, {1, 1024, 33}, {4, 513, 4}, {7, 100, 1}, {2, 48, 129},
                {16, 16, 16}, {17, 23, 17}, {23, 1031, 35}, {97, 260, 50}, {36, 64, 1}, {130, 40, 20}, {128, 16, 16}};
        long seed = 1;
        for (int[] f : fixed) {
            for (DType dt : new DType[] {DType.F32, DType.BF16, DType.I8}) {
                for (boolean bias : new boolean[] {false, true}) {
                    out.add(Arguments.of(new Case(f[0], f[1], f[2], 0, f[1], 0, f[2], dt, bias, seed++)));
                }
            }
        }
        SplittableRandom r = new SplittableRandom(20251122);
        for (int k = 0; k < 40; k++) {
            int rows = 1 + r.nextInt(k % 4 == 0 ? 150 : 9);
            int in = 1 + r.nextInt(k % 3 == 0 ? 700 : 80);
            int outDim = 1 + r.nextInt(k % 5 == 0 ? 200 : 40);
            int xOff = r.nextInt(20), xStride = in + r.nextInt(3) * r.nextInt(1, 17);
            int yOff = r.nextInt(20), yStride = outDim + r.nextInt(3) * r.nextInt(1, 11);
            out.add(Arguments.of(new Case(rows, in, outDim, xOff, xStride, yOff, yStride,
                    new DType[] {DType.F32, DType.BF16, DType.I8}[r.nextInt(3)],
                    r.nextBoolean(), seed++)));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void vectorMatchesScalarAndExact(Case c) {
        SplittableRandom r = new SplittableRandom(c.seed());
        try (Arena arena = Arena.ofShared()) {
            Weight w = randomWeight(r, c.dtype(), c.out(), c.in(), arena);
            MemorySegment b = null;
            if (c.bias()) {
                b = arena.allocate((long) c.out() * 4, 64);
                for (int o = 0; o < c.out(); o++) b.setAtIndex(Tensor.F32_LE, o, (float) (2 * r.nextDouble() - 1));
            }
            float[] x = new float[c.xOff() + (c.rows() - 1) * c.xStride() + c.in() + 5];
            for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
            int yLen = c.yOff() + (c.rows() - 1) * c.yStride() + c.out() + 5;
            float[] yv = new float[yLen], ys = new float[yLen];
            java.util.Arrays.fill(yv, Float.NaN);
            java.util.Arrays.fill(ys, Float.NaN);
            new VectorMatMul().linear(x, c.xOff(), c.xStride(), c.rows(), c.in(), w, b, yv, c.yOff(), c.yStride(), c.out());
            new ScalarMatMul().linear(x, c.xOff(), c.xStride(), c.rows(), c.in(), w, b, ys, c.yOff(), c.yStride(), c.out());
            for (int t = 0; t < c.rows(); t++) {
                for (int o = 0; o < c.out(); o++) {
                    double exact = b == null ? 0 : b.getAtIndex(Tensor.F32_LE, o), magnitude = Math.abs(exact);
                    for (int i = 0; i < c.in(); i++) {
                        double term = (double) x[c.xOff() + t * c.xStride() + i] * w.get((long) o * c.in() + i);
                        exact += term;
                        magnitude += Math.abs(term);
                    }
                    int at = c.yOff() + t * c.yStride() + o;
                    double tol = TOLERANCE * Math.max(magnitude, 1e-30);
                    if (!(Math.abs(yv[at] - exact) <= tol) || !(Math.abs(yv[at] - ys[at]) <= tol))
                        fail("row " + t + " col " + o + ": vector " + yv[at] + ", scalar " + ys[at] + ", exact " + exact + " (tolerance " + tol + ")");
                }
            }
            // nothing outside the output rows' [0, out) columns is written
            for (int i = 0; i < yLen; i++) {
                int rel = i - c.yOff();
                boolean inside = rel >= 0 && rel / c.yStride() < c.rows() && rel % c.yStride() < c.out();
                if (!inside) assertThat(yv[i]).as("y[%d] outside the output", i).isNaN();
            }
        }
    }

    static Weight randomWeight(SplittableRandom r, DType dtype, int out, int in, Arena arena) {
        if (dtype == DType.I8) {
            float[] v = new float[out * in];
            for (int i = 0; i < v.length; i++) v[i] = (float) (2 * r.nextDouble() - 1);
            return Weight.quantizeRows(i -> v[(int) i], out, in, arena);
        }
        MemorySegment wData = arena.allocate((long) out * in * dtype.bytes, 64);
        for (long i = 0; i < (long) out * in; i++) Weight.put(wData, dtype, i, (float) (2 * r.nextDouble() - 1));
        return new Weight(wData, dtype, out, in);
    }

    /**
     * The packed GEMM (many rows), the blocked tiles (many rows while the warm-up runs) and the fused tiles
     * (groups of four rows) reproduce the dot-product tiles on
     * decoded weights (single rows) bit for bit, for every weight type, tails of the input (in not a multiple of
     * the vector length), partial column panels and row tiles, and x packed in slabs of rows.
     */
    @ParameterizedTest(name = "{0} in {1} out {2}")
    @MethodSource("gemmShapes")
    void packedGemmEqualsRowByRowBitwise(DType dtype, int in, int out) {
        int rows = 41, xStride = in + 3, yStride = out + 1;
        SplittableRandom r = new SplittableRandom(in * 31L + out);
        try (Arena arena = Arena.ofShared()) {
            Weight w = randomWeight(r, dtype, out, in, arena);
            MemorySegment b = arena.allocate(out * 4L, 64);
            for (int o = 0; o < out; o++) b.setAtIndex(Tensor.F32_LE, o, (float) r.nextGaussian());
            float[] x = new float[rows * xStride];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] one = new float[rows * yStride], all = new float[rows * yStride], slabs = new float[rows * yStride];
            for (int t = 0; t < rows; t++) new VectorMatMul().linear(x, t * xStride, xStride, 1, in, w, b, one, t * yStride, yStride, out);
            new VectorMatMul().linear(x, 0, xStride, rows, in, w, b, all, 0, yStride, out);
            PackedGemm.linear(x, 0, xStride, rows, in, w, b, slabs, 0, yStride, out, PackedGemm.MR * in);
            float[] packed = new float[rows * yStride];
            PackedGemm.linear(x, 0, xStride, rows, in, w, b, packed, 0, yStride, out);
            float[] blocked = new float[rows * yStride];
            VectorMatMul.blocked(x, 0, xStride, rows, in, w, b, blocked, 0, yStride, out);
            assertThat(all).isEqualTo(one);
            assertThat(slabs).isEqualTo(one);
            assertThat(packed).isEqualTo(one);
            assertThat(blocked).as("blocked tiles (used while the warm-up runs)").isEqualTo(one);
            for (int chunk : new int[] {4, 6, 13}) {
                float[] part = new float[rows * yStride];
                for (int t = 0; t < rows; t += chunk)
                    new VectorMatMul().linear(x, t * xStride, xStride, Math.min(chunk, rows - t), in, w, b, part, t * yStride, yStride, out);
                assertThat(part).as("chunks of %d rows", chunk).isEqualTo(one);
            }
        }
    }

    static Stream<Arguments> gemmShapes() {
        List<Arguments> out = new ArrayList<>();
        // inputs from two vectors up: fewer go to the narrow path, which the packed GEMM does not reproduce (with
        // 512-bit vectors, 16 and 17 inputs are narrow; with 256-bit ones they are not)
        int twoVectors = 2 * VectorMatMul.L;
        for (DType dt : new DType[] {DType.F32, DType.BF16, DType.I8})
            for (int[] s : new int[][] {{twoVectors, 16}, {twoVectors + 1, 33}, {64, 48}, {100, 7}, {1029, 37}})
                out.add(Arguments.of(dt, s[0], s[1]));
        return out.stream();
    }

    /**
     * Streaming callers feed the same rows in chunks of any size and expect the offline result bit for bit, so a
     * row's output must not depend on the other rows of the call: narrow layers (few inputs per output) included.
     */
    @ParameterizedTest(name = "in {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {3, 9, 18, 31, 48, 224})
    void rowResultsDoNotDependOnTheNumberOfRows(int in) {
        int rows = 70, out = 21;
        SplittableRandom r = new SplittableRandom(in);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment wData = arena.allocate((long) out * in * 4, 64);
            for (long i = 0; i < (long) out * in; i++) Weight.put(wData, DType.F32, i, (float) (2 * r.nextDouble() - 1));
            Weight w = new Weight(wData, DType.F32, out, in);
            MemorySegment b = arena.allocate(out * 4L, 64);
            for (int o = 0; o < out; o++) b.setAtIndex(Tensor.F32_LE, o, (float) r.nextGaussian());
            float[] x = new float[rows * in];
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            float[] all = new float[rows * out];
            new VectorMatMul().linear(x, 0, in, rows, in, w, b, all, 0, out, out);
            for (int chunk : new int[] {1, 3, 7, 8, 13}) {
                float[] part = new float[rows * out];
                for (int t = 0; t < rows; t += chunk)
                    new VectorMatMul().linear(x, t * in, in, Math.min(chunk, rows - t), in, w, b, part, t * out, out, out);
                assertThat(part).as("chunks of %d rows", chunk).isEqualTo(all);
            }
        }
    }
}
