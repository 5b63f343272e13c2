package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The background warm-up: a second weight type asked for while one runs neither blocks the caller nor is dropped. */
class KernelsWarmUpTest {
    @Test
    void secondTypeDoesNotWaitForTheFirstAndIsWarmedToo() throws InterruptedException {
        assumeTrue(Kernels.javaMatmul() instanceof VectorMatMul, "vector kernels only (the scalar ones need no warm-up)");
        Kernels.forgetWarmUps();
        Kernels.warmUp(DType.F32);
        Kernels.warmUp(DType.BF16);
        Kernels.warmUp(DType.I8);
        // the calls return at once: thousands of warm-up products cannot have finished yet
        assertThat(Kernels.warm(DType.F32)).isFalse();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!(Kernels.warm(DType.F32) && Kernels.warm(DType.BF16) && Kernels.warm(DType.I8))
                && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(Kernels.warm(DType.BF16)).isTrue();
        assertThat(Kernels.warm(DType.I8)).isTrue();
        assertThat(Kernels.coldForCaller()).isFalse();
    }
}
