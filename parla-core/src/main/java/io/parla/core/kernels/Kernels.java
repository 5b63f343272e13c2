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

    public static MatMul matmul() {
        return MATMUL;
    }

    public static VectorOps ops() {
        return OPS;
    }

    private static volatile boolean warm;

    /**
     * Runs every kernel on small inputs until the JIT has compiled it. Vector API code runs orders of magnitude
     * slower before C2 compiles it, and a long first call (a whole file) would otherwise spend seconds there.
     */
    public static void warmUp() {
        if (warm || !VECTOR) return;
        synchronized (Kernels.class) {
            if (warm) return;
            java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofAuto();
            int in = 3 * 16 + 5, out = 6;
            java.lang.foreign.MemorySegment f32 = arena.allocate((long) in * out * 4, 64);
            java.lang.foreign.MemorySegment bf16 = arena.allocate((long) in * out * 2, 64);
            Weight wf = new Weight(f32, io.parla.core.tensor.DType.F32, out, in);
            Weight wb = new Weight(bf16, io.parla.core.tensor.DType.BF16, out, in);
            float[] x = new float[5 * in], y = new float[5 * out];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) * 0.1f - 0.3f;
            for (int it = 0; it < 12000; it++) {
                MATMUL.linear(x, 0, in, 5, in, (it & 1) == 0 ? wf : wb, null, y, 0, out, out);
                OPS.gelu(y, 0, y.length);
                OPS.axpy(0.5f, x, 0, x, in, in);
                y[0] += OPS.dot(x, 0, x, in, in);
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
