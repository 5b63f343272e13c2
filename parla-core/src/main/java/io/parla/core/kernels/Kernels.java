package io.parla.core.kernels;

/**
 * Chooses the kernel provider once, at start-up: the Vector API one when the incubator module is
 * present (run with {@code --add-modules jdk.incubator.vector}), else the scalar reference.
 * {@code -Dparla.kernels=scalar} forces the reference (for debugging a suspected kernel bug).
 */
public final class Kernels {
    private static final boolean VECTOR = vectorAvailable();
    private static final MatMul MATMUL = VECTOR ? new VectorMatMul() : new ScalarMatMul();
    private static final VectorOps OPS = VECTOR ? new VectorApiOps() : new ScalarOps();

    private Kernels() {}

    /** The product kernel; inside {@link BatchedSteps#run} it merges the products of the batch's steps. */
    public static MatMul matmul() {
        MatMul batched = BatchedSteps.current();
        return batched != null ? batched : MATMUL;
    }

    /** The provider's own product kernel, never batched. */
    static MatMul baseMatmul() {
        return MATMUL;
    }

    public static VectorOps ops() {
        return OPS;
    }

    private static volatile boolean warm;
    /** The background warm-up while it runs, else null. */
    private static volatile Thread warming;

    /**
     * True while a background warm-up runs and the caller is not that warm-up: the packed GEMM's kernel is then
     * usually not compiled yet, and run uncompiled it is slower than the dot-product tiles (first calls took
     * ~1.5 s longer); both give the same bits, so callers may take either.
     */
    static boolean coldForCaller() {
        Thread t = warming;
        return t != null && t != Thread.currentThread();
    }

    /**
     * Runs every kernel on small inputs until the JIT has compiled it. Vector API code runs orders of magnitude
     * slower before C2 compiles it, and a long first call (a whole file) would otherwise spend seconds there.
     */
    public static void warmUp() {
        if (warm || !VECTOR) return;
        synchronized (Kernels.class) {
            if (warming != null || warm) return;
            warming = Thread.ofPlatform().daemon().name("parla-kernel-warmup").unstarted(() -> {
                try {
                    warmUpNow();
                } finally {
                    warming = null;
                }
            });
            warming.start();
        }
    }

    /** As {@link #warmUp()}, on the calling thread. */
    public static void warmUpNow() {
        if (warm || !VECTOR) return;
        synchronized (Kernels.class) {
            if (warm) return;
            java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofAuto();
            int in = 3 * 16 + 5, out = 37;
            java.lang.foreign.MemorySegment f32 = arena.allocate((long) in * out * 4, 64);
            java.lang.foreign.MemorySegment bf16 = arena.allocate((long) in * out * 2, 64);
            Weight wf = new Weight(f32, io.parla.core.tensor.DType.F32, out, in);
            Weight wb = new Weight(bf16, io.parla.core.tensor.DType.BF16, out, in);
            Weight wq = Weight.quantizeRows(i -> (i % 5) - 2, out, in, arena);
            Weight narrow = Weight.quantizeRows(i -> (i % 3) - 1, out, 5, arena);
            // every path: GEMV tiles (4 fused + 1 leftover row; the blocked path shares the tile), the packed
            // GEMM (called directly: its row threshold is above this small input), narrow inputs
            float[] x = new float[30 * in], y = new float[30 * out];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) * 0.1f - 0.3f;
            int iterations = Integer.getInteger("parla.warmup", 4000);
            for (int it = 0; it < iterations; it++) {
                Weight w = it % 3 == 0 ? wf : it % 3 == 1 ? wb : wq;
                MATMUL.linear(x, 0, in, 5, in, w, null, y, 0, out, out);
                if (MATMUL instanceof VectorMatMul) PackedGemm.linear(x, 0, in, 30, in, w, null, y, 0, out, out);
                MATMUL.linear(x, 0, 5, 30, 5, narrow, null, y, 0, out, out);
                OPS.gelu(y, 0, y.length);
                OPS.axpy(0.5f, x, 0, x, in, in);
                y[0] += OPS.dot(x, 0, x, in, in) + OPS.expShifted(y, 0, out, 1f);
                if ((it & 255) == 0) java.util.Arrays.fill(x, 0.1f);
            }
            warm = true;
        }
    }

    private static boolean vectorAvailable() {
        if ("scalar".equals(System.getProperty("parla.kernels"))) return false;
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
