package io.parla.core.kernels;

/**
 * Chooses the kernel provider once, at start-up: the Vector API one when the incubator module is
 * present (run with {@code --add-modules jdk.incubator.vector}), else the scalar reference.
 * {@code -Dparla.kernels=scalar} forces the reference (for debugging a suspected kernel bug).
 */
public final class Kernels {
    private static final MatMul MATMUL = choose();

    private Kernels() {}

    public static MatMul matmul() {
        return MATMUL;
    }

    private static MatMul choose() {
        if ("scalar".equals(System.getProperty("parla.kernels"))) return new ScalarMatMul();
        try {
            Class.forName("jdk.incubator.vector.FloatVector");
            return new VectorMatMul();
        } catch (ClassNotFoundException | LinkageError e) {
            return new ScalarMatMul();
        }
    }
}
