package io.parla.core.kernels;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

/**
 * Splits loops over the machine's cores. One shared pool sized to the machine (or to
 * {@code -Dparla.threads=N}); tiny loops run inline because forking costs more than they do.
 */
public final class Parallel {
    private static final int THREADS = Integer.getInteger("parla.threads", Runtime.getRuntime().availableProcessors());
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private Parallel() {}

    private static final ScopedValue<Boolean> SERIAL = ScopedValue.newInstance();

    /** Runs {@code body} with every {@link #forRange} inside it on the calling thread (its caller splits the work). */
    public static void serially(Runnable body) {
        ScopedValue.where(SERIAL, Boolean.TRUE).run(body);
    }

    public static int threads() {
        return THREADS;
    }

    /** A body that handles the half-open index range [from, to). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int from, int to);
    }

    /**
     * Runs {@code body} over [0, n) in contiguous ranges of at least {@code grain} indices, in parallel when
     * there is more than one range and the caller is not already a pool worker.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int parts = Math.min(THREADS * 2, Math.max(1, n / Math.max(1, grain)));
        if (parts <= 1 || POOL == null || ForkJoinTask.getPool() == POOL || SERIAL.isBound()) {
            body.run(0, n);
            return;
        }
        POOL.invoke(new Split(body, 0, n, parts));
    }

    private static final class Split extends RecursiveAction {
        private final RangeBody body;
        private final int from, to, parts;

        Split(RangeBody body, int from, int to, int parts) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.parts = parts;
        }

        @Override
        protected void compute() {
            if (parts <= 1) {
                body.run(from, to);
                return;
            }
            int leftParts = parts / 2;
            int mid = from + (int) ((long) (to - from) * leftParts / parts);
            invokeAll(new Split(body, from, mid, leftParts), new Split(body, mid, to, parts - leftParts));
        }
    }
}
