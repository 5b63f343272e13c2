package io.parla.core.kernels;

import io.parla.core.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Chooses the kernel provider once, at start-up: the Vector API one when the incubator module is
 * present (run with {@code --add-modules jdk.incubator.vector}), else the scalar reference.
 * {@code -Dparla.kernels=scalar} forces the reference (for debugging a suspected kernel bug).
 * Products with int8 weights go to the native kernel (AVX-512 VNNI or AVX2, {@link NativeInt8MatMul}; about twice
 * as fast, with the activations rounded to int8 per row) where it is available ({@code -Dparla.int8=auto}, the default, or
 * {@code native}, which says so when it is not); {@code -Dparla.int8=java} keeps them on the Java kernels, whose int8
 * products use fp32 activations and give the same bits on every machine.
 */
public final class Kernels {
    private static final boolean VECTOR = vectorAvailable();
    private static final MatMul JAVA_MATMUL = VECTOR ? new VectorMatMul() : new ScalarMatMul();
    private static final MatMul MATMUL = withInt8Choice(JAVA_MATMUL);
    private static final ScopedValue<MatMul> OVERRIDE = ScopedValue.newInstance();
    private static final VectorOps OPS = VECTOR ? new VectorApiOps() : new ScalarOps();

    private Kernels() {}

    private static MatMul withInt8Choice(MatMul base) {
        String choice = System.getProperty("parla.int8", "auto");
        switch (choice) {
            case "java":
                return base;
            case "auto":
                return NativeInt8.available() ? new NativeInt8MatMul(base) : base;
            case "native":
                if (NativeInt8.available()) return new NativeInt8MatMul(base);
                System.err.println("parla: the native int8 kernel was asked for but " + NativeInt8.unavailableReason()
                        + "; int8 products run on the Java kernels");
                return base;
            default:
                throw new IllegalArgumentException("-Dparla.int8 must be auto, java or native, not " + choice);
        }
    }

    /** The weight type whose Java kernels a model of {@code weights} runs: none for int8 on the native kernel. */
    private static DType javaWeights(DType weights) {
        return weights == DType.I8 && MATMUL instanceof NativeInt8MatMul ? DType.F32 : weights;
    }

    /** Whether int8 products run on the native kernel (with int8 activations). */
    public static boolean nativeInt8() {
        return MATMUL instanceof NativeInt8MatMul;
    }

    /** The product kernel; inside {@link BatchedSteps#run} it merges the products of the batch's steps. */
    public static MatMul matmul() {
        MatMul batched = BatchedSteps.current();
        return batched != null ? batched : baseMatmul();
    }

    /** The provider's own product kernel, never batched. */
    static MatMul baseMatmul() {
        return OVERRIDE.isBound() ? OVERRIDE.get() : MATMUL;
    }

    /**
     * Runs {@code body} with {@code kernel} as the product kernel of the calling thread (and of the batches it
     * starts): for comparing kernels within one process, e.g. the native int8 path against the Java one.
     */
    public static <T> T callWith(MatMul kernel, java.util.concurrent.Callable<T> body) throws Exception {
        return ScopedValue.where(OVERRIDE, kernel).call(body::call);
    }

    /** The Java product kernel (Vector API, or the scalar reference), whatever {@code -Dparla.int8} chose. */
    public static MatMul javaMatmul() {
        return JAVA_MATMUL;
    }

    public static VectorOps ops() {
        return OPS;
    }

    private static final java.util.Set<DType> WARM = java.util.EnumSet.noneOf(DType.class);
    /** Background warm-ups in flight (one per weight type asked for while not warm): one read per kernel call. */
    private static final java.util.concurrent.atomic.AtomicInteger WARMING = new java.util.concurrent.atomic.AtomicInteger();
    /** Bound on a warm-up's own thread, which must run the vector paths it is there to compile. */
    private static final ScopedValue<Boolean> WARMING_UP = ScopedValue.newInstance();
    /** The weight types a background warm-up has been started for. */
    private static final java.util.Set<DType> STARTED = java.util.EnumSet.noneOf(DType.class);

    /**
     * True while a background warm-up runs and the caller is not one: the packed GEMM's kernel is then usually not
     * compiled yet, and run uncompiled it is slower than the dot-product tiles (first calls took ~1.5 s longer);
     * both give the same bits, so callers may take either.
     */
    static boolean coldForCaller() {
        return WARMING.get() != 0 && !WARMING_UP.isBound();
    }

    /**
     * Runs the kernels on small inputs until the JIT has compiled them, on a background thread. Vector API code
     * runs orders of magnitude slower before C2 compiles it, and a long first call (a whole file, or the first
     * live chunk) would otherwise spend seconds there. F32 paths are always warmed (activations); {@code weights}
     * (BF16 or I8) adds that weight type's paths, so a model warms only what it will run. Never blocks: a second
     * type asked for while a warm-up runs gets its own, which starts when the first is done.
     */
    public static void warmUp(DType asked) {
        DType weights = javaWeights(asked);
        if (!VECTOR || isWarm(weights)) return;
        synchronized (STARTED) {
            if (!STARTED.add(weights)) return;
            Thread t = Thread.ofPlatform().daemon().name("parla-kernel-warmup-" + weights).unstarted(() -> {
                try {
                    ScopedValue.where(WARMING_UP, Boolean.TRUE).run(() -> warmUpNow(weights));
                } finally {
                    WARMING.decrementAndGet();
                }
            });
            WARMING.incrementAndGet();
            t.start();
        }
    }

    /** Tests only: forgets which types were warmed, so that a warm-up runs again (the JIT keeps its code). */
    static void forgetWarmUps() {
        synchronized (STARTED) {
            STARTED.clear();
        }
        synchronized (WARM) {
            WARM.clear();
        }
    }

    /** Whether the kernels of {@code weights} (and F32) have been warmed up. */
    static boolean warm(DType weights) {
        return !VECTOR || isWarm(javaWeights(weights));
    }

    private static boolean isWarm(DType weights) {
        synchronized (WARM) {
            return WARM.contains(DType.F32) && WARM.contains(weights);
        }
    }

    /** As {@link #warmUp(DType)}, on the calling thread. */
    public static void warmUpNow(DType weights) {
        weights = javaWeights(weights);
        if (!VECTOR) return;
        synchronized (Kernels.class) {
            if (isWarm(weights)) return;
            Arena arena = Arena.ofAuto();
            // the smallest shapes that reach every branch (two vectors + a tail, one full 16-column panel + 2,
            // a leftover row): the uncompiled calls before C2 takes over then cost microseconds, not milliseconds
            int in = 2 * VectorMatMul.L + 3, out = 18;
            MemorySegment mapped = mappedScratch(arena, (long) in * out * 4);
            Weight q = Weight.quantizeRows(i -> (i % 5) - 2, out, in, arena);
            java.util.List<Weight> ws = new java.util.ArrayList<>();
            MemorySegment heapless = arena.allocate((long) in * out * 4, 64);
            // each type over a native segment and over a memory-mapped file: checkpoints are mapped, and code that
            // C2 compiled for native segments only is deoptimised at the first mapped one
            for (MemorySegment seg : new MemorySegment[] {heapless, mapped}) {
                ws.add(new Weight(seg, DType.F32, out, in));
                if (weights == DType.BF16) ws.add(new Weight(seg, weights, out, in));
                if (weights == DType.I8) ws.add(new Weight(seg, weights, out, in, q.scales()));
            }
            Weight narrow = Weight.quantizeRows(i -> (i % 3) - 1, out, 5, arena);
            // every path: GEMV tiles (4 fused + 1 leftover row), blocked tiles (16 + 1 rows), the packed GEMM
            // (called directly: its row threshold is above this input; 6 + 1 rows), narrow inputs
            int blockRows = VectorMatMul.BLOCK_ROWS + 1;
            float[] x = new float[blockRows * in], y = new float[blockRows * out];
            for (int i = 0; i < x.length; i++) x[i] = (i % 7) * 0.1f - 0.3f;
            // the same number of calls per weight (F32 and the model's type, each native and mapped) for every type
            int iterations = Integer.getInteger("parla.warmup", 4000) * ws.size() / 2;
            for (int it = 0; it < iterations; it++) {
                Weight w = ws.get(it % ws.size());
                MATMUL.linear(x, 0, in, 5, in, w, null, y, 0, out, out);
                MATMUL.linear(x, 0, in, blockRows, in, w, null, y, 0, out, out);
                if (MATMUL instanceof VectorMatMul) PackedGemm.linear(x, 0, in, 7, in, w, null, y, 0, out, out);
                MATMUL.linear(x, 0, 5, 5, 5, narrow, null, y, 0, out, out);
                OPS.gelu(y, 0, 4 * VectorMatMul.L + 3);
                OPS.axpy(0.5f, x, 0, x, in, in);
                OPS.mulAdd(x, 0, x, 2 * in, x, in, in);
                y[0] += OPS.dot(x, 0, x, in, in) + OPS.expShifted(y, 0, out, 1f);
                if ((it & 255) == 0) java.util.Arrays.fill(x, 0.1f);
            }
            warmElements();
            synchronized (WARM) {
                WARM.add(DType.F32);
                WARM.add(weights);
            }
        }
    }

    /**
     * Runs GELU, multiply-add and softmax until each has run at compiled speed several times in a row (for at most
     * {@code ELEMENT_WARMUP_NANOS}). Called only inside the product loop above, GELU was measured still in C1 code
     * (boxed vectors, 0.4-2.4 us per value against 3 ns compiled) when that loop ended, and the first whole-file
     * GELUs after the warm-up ran at that speed; during the warm-up, callers take the lane twins instead.
     */
    private static void warmElements() {
        int n = 32 * VectorMatMul.L + 3;  // whole vectors and a tail, and enough loop trips for C2 to notice
        float[] seed = new float[n], a = new float[n], b = new float[n], y = new float[n];
        for (int i = 0; i < n; i++) seed[i] = (i % 13) * 0.25f - 1.5f;
        int geluFast = 0, mulAddFast = 0, expFast = 0;
        long start = System.nanoTime(), limit = n * 20L; // ns: compiled 1-5 per value, boxed 50 and more
        while (Math.min(geluFast, Math.min(mulAddFast, expFast)) < 16 && System.nanoTime() - start < ELEMENT_WARMUP_NANOS) {
            System.arraycopy(seed, 0, a, 0, n);
            long t0 = System.nanoTime();
            OPS.gelu(a, 0, n);
            long t1 = System.nanoTime();
            OPS.mulAdd(seed, 0, a, 0, y, 0, n);
            long t2 = System.nanoTime();
            System.arraycopy(seed, 0, b, 0, n);
            OPS.expShifted(b, 0, n, 1f);
            long t3 = System.nanoTime();
            geluFast = t1 - t0 < limit ? geluFast + 1 : 0;
            mulAddFast = t2 - t1 < limit ? mulAddFast + 1 : 0;
            expFast = t3 - t2 < limit ? expFast + 1 : 0;
            if (y[0] > 1e30f) java.util.Arrays.fill(y, 0f);
        }
    }

    private static final long ELEMENT_WARMUP_NANOS = 3_000_000_000L;

    /** A zero-filled, memory-mapped temporary file of {@code bytes} (a native segment if mapping fails). */
    private static MemorySegment mappedScratch(Arena arena, long bytes) {
        try {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("parla-warmup", ".bin");
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f,
                    java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.allocate((int) bytes));
                return ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, bytes, arena);
            } finally {
                java.nio.file.Files.deleteIfExists(f);
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return arena.allocate(bytes, 64);
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
