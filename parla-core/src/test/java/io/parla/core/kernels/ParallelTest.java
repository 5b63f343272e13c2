package io.parla.core.kernels;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParallelTest {

    @Test
    void everyIndexRunsExactlyOnceWhateverTheSizeAndGrain() {
        for (int n : new int[]{1, 2, 3, 7, 64, 1000, 4097})
            for (int grain : new int[]{1, 2, 5, 256}) {
                AtomicIntegerArray hits = new AtomicIntegerArray(n);
                for (int rep = 0; rep < 20; rep++) Parallel.forRange(n, grain, (a, b) -> {
                    assertThat(a).isLessThan(b);
                    for (int i = a; i < b; i++) hits.incrementAndGet(i);
                });
                for (int i = 0; i < n; i++) assertThat(hits.get(i)).as("n %d grain %d index %d", n, grain, i).isEqualTo(20);
            }
    }

    @Test
    void usesAnotherThreadBesideTheCallerWhenTheMachineHasTwoCores() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        for (int rep = 0; rep < 200 && seen.size() < 2; rep++)
            Parallel.forRange(64, 1, (a, b) -> {
                seen.add(Thread.currentThread());
                long t0 = System.nanoTime();
                while (System.nanoTime() - t0 < 20_000) Thread.onSpinWait();
            });
        assertThat(seen).hasSize(Math.min(2, Parallel.threads()));
        assertThat(seen).contains(Thread.currentThread());
    }

    @Test
    void aFailureInAnyPartReachesTheCallerAndThePoolStaysUsable() {
        assertThatThrownBy(() -> Parallel.forRange(100, 1, (a, b) -> {
            if (a <= 77 && 77 < b) throw new IllegalArgumentException("part with 77");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("part with 77");
        AtomicIntegerArray hits = new AtomicIntegerArray(100);
        Parallel.forRange(100, 1, (a, b) -> { for (int i = a; i < b; i++) hits.incrementAndGet(i); });
        for (int i = 0; i < 100; i++) assertThat(hits.get(i)).isEqualTo(1);
    }

    @Test
    void nestedAndConcurrentLoopsAllComplete() throws Exception {
        int callers = 4, n = 300;
        List<Thread> threads = new ArrayList<>();
        AtomicIntegerArray hits = new AtomicIntegerArray(callers * n * 8);
        CountDownLatch start = new CountDownLatch(1);
        List<Throwable> failures = new ArrayList<>();
        for (int c = 0; c < callers; c++) {
            int base = c * n * 8;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                    for (int rep = 0; rep < 50; rep++)
                        Parallel.forRange(n, 1, (a, b) -> {
                            for (int i = a; i < b; i++) {
                                int row = i;
                                Parallel.forRange(8, 1, (p, q) -> { for (int j = p; j < q; j++) hits.incrementAndGet(base + row * 8 + j); });
                            }
                        });
                } catch (Throwable e) {
                    synchronized (failures) { failures.add(e); }
                }
            });
            threads.add(t);
            t.start();
        }
        start.countDown();
        for (Thread t : threads) t.join(60_000);
        assertThat(failures).isEmpty();
        for (int i = 0; i < hits.length(); i++) assertThat(hits.get(i)).isEqualTo(50);
    }

    @Test
    void seriallyKeepsEveryPartOnTheCallingThread() {
        Set<Thread> seen = ConcurrentHashMap.newKeySet();
        Parallel.serially(() -> Parallel.forRange(1000, 1, (a, b) -> seen.add(Thread.currentThread())));
        assertThat(seen).containsExactly(Thread.currentThread());
    }
}
