package io.parla.core.kernels;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs independent model steps together so that each weight matrix is read from memory once for all of them:
 * the batching that lets several live streams share one pass over the weights.
 *
 * <p>Batch-1 streaming of a large model is bound by memory traffic: an 80 ms chunk has only 4 frames, so every
 * weight is fetched from DRAM to be used 4 times. Here each step (typically one session's push of one chunk)
 * runs on its own thread; whenever a step reaches a matrix product ({@link Kernels#matmul()}), it posts its
 * rows and waits until every other step of the batch has either posted a product too or finished. The last one
 * to arrive stacks all posted rows that share a weight matrix and cuts the product into column slices, which it
 * and the waiting threads compute together (no thread-pool wake-ups, no core left spinning idle); then everybody
 * goes on. The model
 * code is unchanged: per-session work (attention over its own cache, causal convolutions over its own context)
 * runs concurrently on the steps' threads, and only the weight-bound products are merged.
 *
 * <p>The steps of one call need not take the same path: products are grouped by weight, so steps that call
 * different layers, or none, are still exact; they merely share less. Sessions join or leave a batch simply by
 * being or not being in the list of the next call (continuous batching). Each step's result is what it would
 * have been alone, up to the order of floating-point additions in the kernel's row tiles (bitwise identical when
 * every step posts a multiple of 4 rows, as streaming chunks do).
 */
public final class BatchedSteps {
    private static final ScopedValue<Rendezvous> CURRENT = ScopedValue.newInstance();
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("parla-step-", 0).factory());

    private static final java.util.concurrent.atomic.AtomicLong MERGED = new java.util.concurrent.atomic.AtomicLong();

    private BatchedSteps() {}

    /** Products so far that served more than one step with one pass over their weights (for benchmarks and tests). */
    public static long mergedProducts() {
        return MERGED.get();
    }

    /**
     * Runs the steps together and returns their results in order. If a step throws, the others still complete
     * (a failed step leaves the batch at once), and the first failure is rethrown.
     */
    public static <T> List<T> run(List<? extends Callable<T>> steps) throws Exception {
        int n = steps.size();
        List<T> out = new ArrayList<>(n);
        if (n == 0) return out;
        if (n == 1) {
            out.add(steps.get(0).call());
            return out;
        }
        Rendezvous rv = new Rendezvous(Kernels.baseMatmul(), n);
        List<Future<T>> futures = new ArrayList<>(n);
        for (Callable<T> step : steps) {
            futures.add(THREADS.submit(() -> {
                try {
                    // the steps are the parallelism: their own loops stay on their threads, so the kernel pool's
                    // worker does not spin for cores the other steps need
                    return ScopedValue.where(CURRENT, rv).call(() -> Parallel.seriallyCall(step));
                } finally {
                    rv.leave();
                }
            }));
        }
        Exception first = null;
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (ExecutionException e) {
                out.add(null);
                if (first == null) first = e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        if (first != null) throw first;
        return out;
    }

    /** The product kernel for the calling thread: the batch's rendezvous inside {@link #run}, else null. */
    static MatMul current() {
        return CURRENT.isBound() ? CURRENT.get() : null;
    }

    /** One product posted by one step. */
    private static final class Request {
        final float[] x, y;
        final int xOff, xStride, rows, in, yOff, yStride, out;
        final Weight w;
        final MemorySegment b;
        Throwable failure;

        Request(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b, float[] y, int yOff,
                int yStride, int out) {
            this.x = x;
            this.xOff = xOff;
            this.xStride = xStride;
            this.rows = rows;
            this.in = in;
            this.w = w;
            this.b = b;
            this.y = y;
            this.yOff = yOff;
            this.yStride = yStride;
            this.out = out;
        }
    }

    /**
     * The meeting point of one batch: a phase ends when every step still running has posted a product or finished.
     * Waiters spin, then yield, instead of parking: a phase is a fraction of a millisecond, and waking a parked
     * thread on a virtual machine's idle core costs about as much.
     */
    private static final class Rendezvous implements MatMul {
        private final MatMul base;
        private final List<Request> posted = new ArrayList<>();
        private int parties;              // steps still running; guarded by posted
        private volatile long generation;  // completed phases

        Rendezvous(MatMul base, int parties) {
            this.base = base;
            this.parties = parties;
        }

        @Override
        public void linear(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                           float[] y, int yOff, int yStride, int out) {
            Request r = new Request(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
            List<Request> batch = null;
            long g;
            synchronized (posted) {
                g = generation;
                posted.add(r);
                if (posted.size() == parties) batch = takePosted();
            }
            if (batch != null) advance(batch);
            else await(g);
            if (r.failure != null) throw new IllegalStateException("batched matrix product failed: " + r.failure, r.failure);
        }

        /** A step has finished (or failed): the others no longer wait for it. */
        void leave() {
            List<Request> batch = null;
            synchronized (posted) {
                parties--;
                if (parties > 0 && posted.size() == parties) batch = takePosted();
            }
            if (batch != null) advance(batch);
        }

        private List<Request> takePosted() {
            List<Request> batch = new ArrayList<>(posted);
            posted.clear();
            return batch;
        }

        private void await(long g) {
            long start = System.nanoTime();
            while (generation == g) {
                Phase work = current;
                if (work != null && work.generation == g && work.help()) {
                    start = System.nanoTime();
                    continue;
                }
                long waited = System.nanoTime() - start;
                if (waited < 20_000) Thread.onSpinWait();
                else if (waited < 2_000_000) Thread.yield();
                else java.util.concurrent.locks.LockSupport.parkNanos(100_000); // a long phase: stop burning a core
            }
        }

        private volatile Phase current;

        /**
         * Stacking buffers reused from phase to phase (only the advancing thread touches them, and a phase ends only
         * when every slice has copied its results out): streaming steps repeat the same products chunk after chunk,
         * and fresh stacked arrays were the largest allocation of 4 batched streams (about a fifth of the bytes).
         */
        private final List<float[]> buffers = new ArrayList<>();
        private int buffersUsed;

        private float[] buffer(int length) {
            if (buffersUsed == buffers.size()) buffers.add(new float[length]);
            else if (buffers.get(buffersUsed).length < length) buffers.set(buffersUsed, new float[length]);
            return buffers.get(buffersUsed++);
        }

        /** Runs in the last thread to arrive; the waiting steps' threads compute slices of it with it. */
        private void advance(List<Request> batch) {
            buffersUsed = 0;
            Map<Weight, List<Request>> byWeight = new IdentityHashMap<>();
            for (Request r : batch) byWeight.computeIfAbsent(r.w, k -> new ArrayList<>()).add(r);
            List<Slice> slices = new ArrayList<>();
            for (List<Request> group : byWeight.values()) {
                try {
                    plan(group, slices);
                } catch (Throwable t) {
                    for (Request r : group) r.failure = t;
                }
            }
            Phase phase = new Phase(generation, slices);
            current = phase;
            phase.help();
            for (long t0 = System.nanoTime(); phase.remaining.get() > 0; ) {
                if (System.nanoTime() - t0 < 20_000) Thread.onSpinWait();
                else Thread.yield(); // a slice is still running on a thread that may need this core
            }
            current = null;
            generation++;
        }

        /** Stacks a group's rows and cuts its output columns into slices that any waiting thread may compute. */
        private void plan(List<Request> group, List<Slice> slices) {
            Request f = group.get(0);
            for (Request r : group)
                if (r.in != f.in || r.out != f.out || r.b != f.b) {
                    for (Request q : group) plan(List.of(q), slices);
                    return;
                }
            int rows = 0;
            for (Request r : group) rows += r.rows;
            int in = f.in, out = f.out;
            float[] xs = buffer(rows * in), ys = buffer(rows * out);
            int at = 0;
            for (Request r : group) {
                for (int t = 0; t < r.rows; t++) System.arraycopy(r.x, r.xOff + t * r.xStride, xs, (at + t) * in, in);
                at += r.rows;
            }
            if (group.size() > 1) MERGED.incrementAndGet();
            Stacked st = new Stacked(group, xs, ys, rows, in, out, f.w, f.b);
            // enough slices for every core to take a few, but each long enough to stream its weight rows
            long work = (long) rows * in * out;
            int pieces = (int) Math.max(1, Math.min(4L * Parallel.threads(), work / 32768));
            pieces = Math.min(pieces, Math.max(1, out / 2));
            for (int k = 0; k < pieces; k++) {
                int o0 = (int) ((long) out * k / pieces), o1 = (int) ((long) out * (k + 1) / pieces);
                if (o1 > o0) slices.add(new Slice(st, o0, o1));
            }
        }

        private final class Phase {
            final long generation;
            final List<Slice> slices;
            final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            final java.util.concurrent.atomic.AtomicInteger remaining;

            Phase(long generation, List<Slice> slices) {
                this.generation = generation;
                this.slices = slices;
                this.remaining = new java.util.concurrent.atomic.AtomicInteger(slices.size());
            }

            /** Computes slices until none is left to take; false if there was none. */
            boolean help() {
                boolean any = false;
                for (int i; (i = next.getAndIncrement()) < slices.size(); ) {
                    any = true;
                    Slice sl = slices.get(i);
                    try {
                        Parallel.serially(() -> sl.compute(base));
                    } catch (Throwable t) {
                        for (Request r : sl.st.group) r.failure = t;
                    } finally {
                        remaining.decrementAndGet();
                    }
                }
                return any;
            }
        }

        private record Stacked(List<Request> group, float[] xs, float[] ys, int rows, int in, int out, Weight w,
                               MemorySegment b) {}

        /** Output columns [o0, o1) of one stacked product, written straight into every request's output. */
        private record Slice(Stacked st, int o0, int o1) {
            void compute(MatMul base) {
                int n = o1 - o0, in = st.in, out = st.out;
                Weight w = st.w;
                long bytesPerRow = (long) in * w.dtype().bytes;
                Weight part = new Weight(w.data().asSlice(o0 * bytesPerRow, n * bytesPerRow), w.dtype(), n, in,
                        w.scales() == null ? null : w.scales().asSlice(o0 * 4L, n * 4L));
                MemorySegment bias = st.b == null ? null : st.b.asSlice(o0 * 4L, n * 4L);
                base.linear(st.xs, 0, in, st.rows, in, part, bias, st.ys, o0, out, n);
                int at = 0;
                for (Request r : st.group) {
                    for (int t = 0; t < r.rows; t++) System.arraycopy(st.ys, (at + t) * out + o0, r.y, r.yOff + t * r.yStride + o0, n);
                    at += r.rows;
                }
            }
        }

        @Override
        public String name() {
            return "batched(" + base.name() + ")";
        }
    }
}
