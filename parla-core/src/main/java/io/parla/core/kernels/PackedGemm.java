package io.parla.core.kernels;

import io.parla.core.tensor.Tensor;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

import java.lang.foreign.MemorySegment;

/**
 * Many-row products (offline processing) as a packed outer-product GEMM that reproduces, bit for bit, the
 * summation order of {@link VectorMatMul}'s dot-product tiles, so a row's result never depends on which path
 * (or how many rows in one call) computed it.
 *
 * <p>The dot-product tiles sum lane class {@code j} (inputs {@code i = j, j + L, j + 2L, ...}) in one FMA chain
 * per lane and then add the L lane sums with a butterfly. Here the inputs are permuted at packing time so each
 * lane class is one contiguous run: a 6-row x 2L-column register tile (12 accumulators, per input two panel
 * loads and six broadcasts feed twelve FMAs) runs the chain of class {@code j} for 6 rows x 2L columns at once,
 * parks it, and the L parked tiles are added in the butterfly's order. The inputs past the last full vector are
 * added one by one, unfused, as the dot-product tiles do.
 *
 * <p>Blocking: x is packed once per call (all rows, or slabs of rows when that would exceed
 * {@link #X_PACK_FLOATS}); output columns are split over the cores, each of which decodes groups of column
 * panels (F32 copy, BF16 widening, I8 conversion) into an L2-sized buffer that every row tile then passes.
 */
final class PackedGemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 6;
    static final int NR = 2 * L;
    /** Decoded weight panels per core: half of Zen 3's 512 KB L2, leaving room for the x tile and the output. */
    private static final int PANEL_FLOATS = 64 * 1024;
    /** Packed-x cap (16 MB): longer inputs are processed in slabs of rows, each re-decoding the weights. */
    private static final int X_PACK_FLOATS = 4 << 20;

    private static final ThreadLocal<float[][]> X_PACK = ThreadLocal.withInitial(() -> new float[1][0]);
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Per-core buffers: decoded panels, the parked lane-class tiles, and bias/scale of the current panel. */
    private static final class Scratch {
        float[] panels = new float[0];
        final float[] parked = new float[L * MR * NR];
        float[] bias = new float[0], scale = new float[0];
        float[] row = new float[0];
    }

    private PackedGemm() {}

    static void linear(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                       float[] y, int yOff, int yStride, int out) {
        linear(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out, X_PACK_FLOATS);
    }

    /** As above with packed x capped at {@code xPackFloats} (tests use a small cap to reach the slabs). */
    static void linear(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                       float[] y, int yOff, int yStride, int out, int xPackFloats) {
        int upper = in - in % L;
        int slab = Math.max(MR, (int) Math.min(rows, (xPackFloats / Math.max(1, upper)) / MR * MR));
        for (int t0 = 0; t0 < rows; t0 += slab) {
            int n = Math.min(slab, rows - t0);
            float[] xp = packX(x, xOff + t0 * xStride, xStride, n, upper);
            multiply(xp, x, xOff + t0 * xStride, xStride, n, in, w, b, y, yOff + t0 * yStride, yStride, out);
        }
    }

    /**
     * Rows in tiles of MR (the last one zero-padded); within a tile, lane class j's inputs in order, each as MR
     * consecutive values (one per row) for the broadcasts.
     */
    private static float[] packX(float[] x, int xOff, int xStride, int rows, int upper) {
        int tiles = (rows + MR - 1) / MR, m = upper / L, tileSize = MR * upper;
        float[][] holder = X_PACK.get();
        if (holder[0].length < tiles * tileSize) holder[0] = new float[tiles * tileSize];
        float[] xp = holder[0];
        Parallel.forRange(tiles, Math.max(1, 16384 / Math.max(1, tileSize)), (k0, k1) -> {
            for (int k = k0; k < k1; k++) {
                int base = k * tileSize;
                for (int r = 0; r < MR; r++) {
                    int t = k * MR + r;
                    if (t >= rows) {
                        for (int q = 0; q < upper; q++) xp[base + q * MR + r] = 0f;
                        continue;
                    }
                    int src = xOff + t * xStride;
                    for (int j = 0; j < L; j++) {
                        int d = base + j * m * MR + r, i = src + j;
                        for (int s = 0; s < m; s++) xp[d + s * MR] = x[i + s * L];
                    }
                }
            }
        });
        return xp;
    }

    private static void multiply(float[] xp, float[] x, int xOff, int xStride, int rows, int in, Weight w,
                                 MemorySegment b, float[] y, int yOff, int yStride, int out) {
        int upper = in - in % L;
        int panelSize = NR * in;
        int group = Math.max(1, PANEL_FLOATS / panelSize);
        int panels = (out + NR - 1) / NR;
        int tiles = (rows + MR - 1) / MR;
        // split only work that outweighs a fork (the warm-up's small calls stay on their own thread)
        long flopsPerPanel = 2L * tiles * MR * NR * in;
        int grain = (int) Math.max(1, Math.min(panels, 4_000_000 / flopsPerPanel));
        Parallel.forRange(panels, grain, (p0, p1) -> {
            Scratch sc = SCRATCH.get();
            int need = Math.min(group, p1 - p0) * panelSize;
            if (sc.panels.length < need) sc.panels = new float[need];
            if (sc.row.length < in) sc.row = new float[in];
            if (sc.bias.length < group * NR) {
                sc.bias = new float[group * NR];
                sc.scale = new float[group * NR];
            }
            for (int g0 = p0; g0 < p1; g0 += group) {
                int g1 = Math.min(p1, g0 + group);
                for (int p = g0; p < g1; p++) {
                    int o = p * NR, cols = Math.min(NR, out - o), at = (p - g0) * NR;
                    packPanel(w, o, cols, in, sc, (p - g0) * panelSize);
                    for (int c = 0; c < NR; c++) {
                        sc.bias[at + c] = c < cols && b != null ? b.getAtIndex(Tensor.F32_LE, o + c) : 0f;
                        sc.scale[at + c] = c < cols ? scale(w, o + c) : 0f;
                    }
                }
                for (int k = 0; k < tiles; k++) {
                    int t = k * MR, valid = Math.min(MR, rows - t);
                    for (int p = g0; p < g1; p++) {
                        int o = p * NR, cols = Math.min(NR, out - o);
                        tile(xp, k * MR * upper, upper, sc.panels, (p - g0) * panelSize, sc.parked);
                        finish(sc, (p - g0) * panelSize + NR * upper, (p - g0) * NR, x, xOff + t * xStride, xStride,
                                upper, in, valid, y, yOff + t * yStride + o, yStride, cols);
                    }
                }
            }
        });
    }

    /**
     * Columns [o, o + cols) as {@code [lane class][step][NR]} followed by the tail inputs as {@code [i][NR]};
     * columns past {@code cols} are zero.
     */
    private static void packPanel(Weight w, int o, int cols, int in, Scratch sc, int at) {
        int upper = in - in % L, m = upper / L;
        float[] dst = sc.panels, row = sc.row;
        if (cols < NR) java.util.Arrays.fill(dst, at, at + NR * in, 0f);
        for (int c = 0; c < cols; c++) {
            VectorMatMul.decode(w, o + c, in, row, 0);
            for (int j = 0; j < L; j++) {
                int d = at + j * m * NR + c;
                for (int s = 0; s < m; s++) dst[d + s * NR] = row[j + s * L];
            }
            for (int i = upper; i < in; i++) dst[at + NR * i + c] = row[i];
        }
    }

    /**
     * The L lane-class chains of one MR x NR tile, added in {@link VectorMatMul#sum}'s butterfly order as they
     * complete (a binary counter: slot k holds the sum of the last 2^k classes until its partner arrives); the
     * total is left in {@code parked[0, MR * NR)} as {@code [row][NR]}.
     */
    private static void tile(float[] xp, int x0, int upper, float[] wp, int w0, float[] parked) {
        int m = upper / L, size = MR * NR;
        for (int j = 0; j < L; j++) {
            FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S), c10 = FloatVector.zero(S), c11 = FloatVector.zero(S),
                    c20 = FloatVector.zero(S), c21 = FloatVector.zero(S), c30 = FloatVector.zero(S), c31 = FloatVector.zero(S),
                    c40 = FloatVector.zero(S), c41 = FloatVector.zero(S), c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
            // indices linear in the loop counter let the JIT hoist the bounds checks out of the loop
            int xj = x0 + j * m * MR, wj = w0 + j * m * NR;
            for (int s = 0; s < m; s++) {
                int xi = xj + s * MR, wi = wj + s * NR;
                FloatVector lo = FloatVector.fromArray(S, wp, wi), hi = FloatVector.fromArray(S, wp, wi + L);
                FloatVector a = FloatVector.broadcast(S, xp[xi]);
                c00 = a.fma(lo, c00); c01 = a.fma(hi, c01);
                a = FloatVector.broadcast(S, xp[xi + 1]);
                c10 = a.fma(lo, c10); c11 = a.fma(hi, c11);
                a = FloatVector.broadcast(S, xp[xi + 2]);
                c20 = a.fma(lo, c20); c21 = a.fma(hi, c21);
                a = FloatVector.broadcast(S, xp[xi + 3]);
                c30 = a.fma(lo, c30); c31 = a.fma(hi, c31);
                a = FloatVector.broadcast(S, xp[xi + 4]);
                c40 = a.fma(lo, c40); c41 = a.fma(hi, c41);
                a = FloatVector.broadcast(S, xp[xi + 5]);
                c50 = a.fma(lo, c50); c51 = a.fma(hi, c51);
            }
            int k = 0;
            for (int bit = 1; (j & bit) != 0; bit <<= 1, k++) {
                int p = k * size;
                c00 = c00.add(FloatVector.fromArray(S, parked, p)); c01 = c01.add(FloatVector.fromArray(S, parked, p + L));
                c10 = c10.add(FloatVector.fromArray(S, parked, p + NR)); c11 = c11.add(FloatVector.fromArray(S, parked, p + NR + L));
                c20 = c20.add(FloatVector.fromArray(S, parked, p + 2 * NR)); c21 = c21.add(FloatVector.fromArray(S, parked, p + 2 * NR + L));
                c30 = c30.add(FloatVector.fromArray(S, parked, p + 3 * NR)); c31 = c31.add(FloatVector.fromArray(S, parked, p + 3 * NR + L));
                c40 = c40.add(FloatVector.fromArray(S, parked, p + 4 * NR)); c41 = c41.add(FloatVector.fromArray(S, parked, p + 4 * NR + L));
                c50 = c50.add(FloatVector.fromArray(S, parked, p + 5 * NR)); c51 = c51.add(FloatVector.fromArray(S, parked, p + 5 * NR + L));
            }
            int p = j == L - 1 ? 0 : k * size;
            c00.intoArray(parked, p); c01.intoArray(parked, p + L);
            c10.intoArray(parked, p + NR); c11.intoArray(parked, p + NR + L);
            c20.intoArray(parked, p + 2 * NR); c21.intoArray(parked, p + 2 * NR + L);
            c30.intoArray(parked, p + 3 * NR); c31.intoArray(parked, p + 3 * NR + L);
            c40.intoArray(parked, p + 4 * NR); c41.intoArray(parked, p + 4 * NR + L);
            c50.intoArray(parked, p + 5 * NR); c51.intoArray(parked, p + 5 * NR + L);
        }
    }

    /**
     * Adds the tail inputs to the tile's sums one by one (multiply, then add: unfused, as the dot-product tiles),
     * then scale and bias; stores the valid rows.
     */
    private static void finish(Scratch sc, int tail, int col, float[] x, int xRow, int xStride, int upper, int in, int valid,
                               float[] y, int yAt, int yStride, int cols) {
        float[] parked = sc.parked, wp = sc.panels;
        FloatVector sLo = FloatVector.fromArray(S, sc.scale, col), sHi = FloatVector.fromArray(S, sc.scale, col + L);
        FloatVector bLo = FloatVector.fromArray(S, sc.bias, col), bHi = FloatVector.fromArray(S, sc.bias, col + L);
        VectorMask<Float> mLo = S.indexInRange(0, cols), mHi = S.indexInRange(L, cols);
        for (int r = 0; r < valid; r++) {
            FloatVector lo = FloatVector.fromArray(S, parked, r * NR), hi = FloatVector.fromArray(S, parked, r * NR + L);
            int xr = xRow + r * xStride;
            for (int i = upper, q = tail; i < in; i++, q += NR) {
                FloatVector a = FloatVector.broadcast(S, x[xr + i]);
                lo = lo.add(a.mul(FloatVector.fromArray(S, wp, q)));
                hi = hi.add(a.mul(FloatVector.fromArray(S, wp, q + L)));
            }
            lo = lo.mul(sLo).add(bLo);
            hi = hi.mul(sHi).add(bHi);
            int at = yAt + r * yStride;
            if (cols == NR) {
                lo.intoArray(y, at);
                hi.intoArray(y, at + L);
            } else {
                lo.intoArray(y, at, mLo);
                hi.intoArray(y, at + L, mHi);
            }
        }
    }

    private static float scale(Weight w, int row) {
        return w.scales() == null ? 1f : w.scales().getAtIndex(Tensor.F32_LE, row);
    }
}
