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
