package io.parla.core.kernels;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Splits loops over the machine's cores ({@code -Dparla.threads=N} to change their number). The calling thread
 * takes parts of the loop itself, beside {@code N - 1} pool workers that spin briefly for the next loop before
 * they park. A streaming step makes a few hundred parallel loops of well under a millisecond each: with a
 * fork-join pool the caller sat idle while parked workers were woken for every one (tens of microseconds each on a
 * virtual machine), and a 4 x 4096 x 1024 int8 product on two cores ran at 45-52 GFLOP/s against 81-91 for two
 * independent threads. Tiny loops, loops inside a pool worker, loops while another thread's loop holds the pool,
 * and {@link #serially} regions run on the calling thread: the work is then already spread over the cores.
 */
public final class Parallel {
    private static final int THREADS = Math.max(1, Integer.getInteger("parla.threads", Runtime.getRuntime().availableProcessors()));
    /** How long an idle worker keeps polling before it parks: longer than the gaps between a step's loops. */
    private static final long SPIN_NANOS = Long.getLong("parla.spinMicros", 500) * 1000L;
    private static final int PARTS_PER_THREAD = Integer.getInteger("parla.partsPerThread", 8);
    private static final Pool POOL = THREADS > 1 ? new Pool(THREADS - 1) : null;

    private Parallel() {}

    private static final ScopedValue<Boolean> SERIAL = ScopedValue.newInstance();

    /** Runs {@code body} with every {@link #forRange} inside it on the calling thread (its caller splits the work). */
    public static void serially(Runnable body) {
        ScopedValue.where(SERIAL, Boolean.TRUE).run(body);
    }

    /** As {@link #serially(Runnable)}, returning the body's result. */
    public static <T> T seriallyCall(java.util.concurrent.Callable<T> body) throws Exception {
        return ScopedValue.where(SERIAL, Boolean.TRUE).call(body::call);
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
     * there is more than one range. Every index is run exactly once, so results do not depend on the split.
     */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        // several parts per thread, claimed in turn: a thread that finishes early takes the next instead of waiting
        int parts = Math.min(THREADS * PARTS_PER_THREAD, Math.max(1, n / Math.max(1, grain)));
        if (parts <= 1 || POOL == null || Thread.currentThread() instanceof Worker || SERIAL.isBound()
                || !POOL.busy.compareAndSet(false, true)) {
            body.run(0, n);
            return;
        }
        POOL.run(new Job(body, n, parts));
    }

    /** One parallel loop: parts are claimed in order by whichever thread asks next. */
    private static final class Job {
        final RangeBody body;
        final int n, parts;
        final AtomicInteger next = new AtomicInteger(), remaining;
        volatile Throwable failure;

        Job(RangeBody body, int n, int parts) {
            this.body = body;
            this.n = n;
            this.parts = parts;
            this.remaining = new AtomicInteger(parts);
        }

        /** Even split points keep the matrix products' column pairs whole. */
        private int bound(int i) {
            return i == parts ? n : (int) ((long) n * i / parts) & ~1;
        }

        void help() {
            for (int i; (i = next.getAndIncrement()) < parts; ) {
                try {
                    int from = bound(i), to = bound(i + 1);
                    if (from < to) body.run(from, to);
                } catch (Throwable t) {
                    if (failure == null) failure = t;
                } finally {
                    remaining.decrementAndGet();
                }
            }
        }
    }

    private static final class Pool {
        final AtomicBoolean busy = new AtomicBoolean();
        final Worker[] workers;
        volatile Job job;

        Pool(int n) {
            workers = new Worker[n];
            for (int i = 0; i < n; i++) {
                workers[i] = new Worker(this, i + 1);
                workers[i].start();
            }
        }

        /** Called with {@link #busy} taken; releases it. */
        void run(Job j) {
            try {
                job = j;
                for (Worker w : workers) if (w.parked) LockSupport.unpark(w);
                j.help();
                while (j.remaining.get() > 0) Thread.onSpinWait();
            } finally {
                job = null; // the loop's body (and the arrays it holds) must not outlive it
                busy.set(false);
            }
            Throwable t = j.failure;
            if (t instanceof RuntimeException e) throw e;
            if (t instanceof Error e) throw e;
            if (t != null) throw new IllegalStateException(t);
        }
    }

    private static final class Worker extends Thread {
        private final Pool pool;
        volatile boolean parked;

        Worker(Pool pool, int index) {
            super("parla-kernels-" + index);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job done = null;
            while (true) {
                Job j = pool.job;
                if (j != done) {
                    done = j;
                    if (j != null) j.help();
                    continue;
                }
                long t0 = System.nanoTime();
                while (pool.job == done && System.nanoTime() - t0 < SPIN_NANOS) Thread.onSpinWait();
                if (pool.job != done) continue;
                parked = true;
                // the caller publishes the job before it reads parked: either it sees parked and unparks,
                // or this re-read sees its job
                if (pool.job == done) LockSupport.park(this);
                parked = false;
            }
        }
    }
}
