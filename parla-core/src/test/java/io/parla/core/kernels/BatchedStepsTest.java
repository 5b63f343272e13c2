package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Steps run together give what they give alone, their products are really merged, and a failing or diverging step
 * neither hangs nor corrupts the others.
 */
@Timeout(60)
class BatchedStepsTest {
    private static final int IN = 48, HIDDEN = 40, OUT = 24;
    private final Arena arena = Arena.ofAuto();
    private final Weight w1 = random(HIDDEN, IN, 1), w2 = random(OUT, HIDDEN, 2), w3 = random(OUT, IN, 3);

    private Weight random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        MemorySegment seg = arena.allocate((long) rows * cols * 4, 64);
        for (long i = 0; i < (long) rows * cols; i++) seg.setAtIndex(io.parla.core.tensor.Tensor.F32_LE, i, (float) r.nextGaussian());
        return new Weight(seg, DType.F32, rows, cols);
    }

    /** A two-layer step with a per-step nonlinearity between the products (like a transformer's FFN). */
    private float[] twoLayers(float[] x, int rows) {
        float[] h = new float[rows * HIDDEN];
        Kernels.matmul().linear(x, 0, IN, rows, IN, w1, null, h, 0, HIDDEN, HIDDEN);
        for (int i = 0; i < h.length; i++) h[i] = (float) Math.tanh(h[i]);
        float[] y = new float[rows * OUT];
        Kernels.matmul().linear(h, 0, HIDDEN, rows, HIDDEN, w2, null, y, 0, OUT, OUT);
        return y;
    }

    private static float[] input(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * IN];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    @Test
    void togetherEqualsAloneBitForBit() throws Exception {
        List<float[]> inputs = new ArrayList<>();
        List<float[]> alone = new ArrayList<>();
        for (int s = 0; s < 5; s++) {
            inputs.add(input(4, 100 + s));
            alone.add(twoLayers(inputs.get(s), 4));
        }
        List<Callable<float[]>> steps = new ArrayList<>();
        for (float[] x : inputs) steps.add(() -> twoLayers(x, 4));
        List<float[]> together = BatchedSteps.run(steps);
        for (int s = 0; s < 5; s++) assertThat(together.get(s)).as("step %d", s).containsExactly(alone.get(s));
    }

    @Test
    void productsOfTheSameWeightAreMergedIntoOneCall() throws Exception {
        AtomicInteger stepsInside = new AtomicInteger();
        List<Callable<Integer>> steps = new ArrayList<>();
        for (int s = 0; s < 4; s++) {
            float[] x = input(4, s);
            steps.add(() -> {
                stepsInside.incrementAndGet();
                assertThat(Kernels.matmul().name()).startsWith("batched(");
                twoLayers(x, 4);
                return 1;
            });
        }
        long before = BatchedSteps.mergedProducts();
        assertThat(BatchedSteps.run(steps)).containsExactly(1, 1, 1, 1);
        // two layers, each one merged call for all four steps
        assertThat(BatchedSteps.mergedProducts() - before).isEqualTo(2);
        assertThat(stepsInside).hasValue(4);
        assertThat(Kernels.matmul().name()).doesNotStartWith("batched(");
    }

    @Test
    void stepsOnDifferentPathsAndUnevenRowsStayExact() throws Exception {
        float[] a = input(3, 7), b = input(6, 8), c = input(1, 9);
        float[] aloneA = twoLayers(a, 3), aloneC = twoLayers(c, 1);
        float[] aloneB = new float[6 * OUT];
        Kernels.matmul().linear(b, 0, IN, 6, IN, w3, null, aloneB, 0, OUT, OUT);
        List<Callable<float[]>> steps = List.of(
                () -> twoLayers(a, 3),
                () -> {
                    float[] y = new float[6 * OUT];
                    Kernels.matmul().linear(b, 0, IN, 6, IN, w3, null, y, 0, OUT, OUT);
                    return y;
                },
                () -> new float[] {42f},           // joins the batch but never multiplies
                () -> twoLayers(c, 1));
        List<float[]> r = BatchedSteps.run(steps);
        assertThat(r.get(1)).containsExactly(aloneB);
        assertThat(r.get(2)).containsExactly(42f);
        for (int i = 0; i < aloneA.length; i++) assertThat(r.get(0)[i]).isCloseTo(aloneA[i], org.assertj.core.data.Offset.offset(1e-4f));
        for (int i = 0; i < aloneC.length; i++) assertThat(r.get(3)[i]).isCloseTo(aloneC[i], org.assertj.core.data.Offset.offset(1e-4f));
    }

    @Test
    void aFailingStepDoesNotHangTheOthersAndIsRethrown() {
        float[] x = input(4, 1);
        List<float[]> done = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Callable<float[]>> steps = List.of(
                () -> { float[] y = twoLayers(x, 4); done.add(y); return y; },
                () -> { throw new IllegalArgumentException("bad chunk in session 2"); },
                () -> { float[] y = twoLayers(x, 4); done.add(y); return y; });
        assertThatThrownBy(() -> BatchedSteps.run(steps)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("bad chunk in session 2");
        assertThat(done).hasSize(2);
    }

    @Test
    void aFailingProductReachesOnlyItsOwnSteps() throws Exception {
        float[] x = input(4, 1);
        float[] expected = twoLayers(x, 4);
        List<Callable<float[]>> steps = List.of(
                () -> twoLayers(x, 4),
                () -> {
                    float[] y = new float[4];
                    // input shorter than the product reads: the kernel throws inside the merged phase
                    Kernels.matmul().linear(new float[3], 0, IN, 4, IN, w3, null, y, 0, OUT, OUT);
                    return y;
                });
        assertThatThrownBy(() -> BatchedSteps.run(steps)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("batched matrix product failed");
        List<Callable<float[]>> again = List.of(() -> twoLayers(x, 4), () -> twoLayers(x, 4));
        for (float[] y : BatchedSteps.run(again)) assertThat(y).containsExactly(expected);
    }

    @Test
    void bf16AndInt8WeightsAreSlicedCorrectly() throws Exception {
        Random r = new Random(4);
        int in = 70, out = 333; // odd sizes: slices end mid-vector and mid-pair
        float[] f = new float[in * out];
        for (int i = 0; i < f.length; i++) f[i] = (float) r.nextGaussian();
        MemorySegment bf = arena.allocate((long) f.length * 2, 64);
        for (int i = 0; i < f.length; i++) Weight.put(bf, DType.BF16, i, f[i]);
        MemorySegment bias = arena.allocate(out * 4L, 64);
        for (int o = 0; o < out; o++) bias.setAtIndex(io.parla.core.tensor.Tensor.F32_LE, o, o * 0.01f);
        for (Weight w : new Weight[] {new Weight(bf, DType.BF16, out, in), Weight.quantizeRows(i -> f[(int) i], out, in, arena)}) {
            List<float[]> xs = new ArrayList<>(), alone = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                float[] x = new float[4 * in];
                for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
                float[] y = new float[4 * out];
                Kernels.matmul().linear(x, 0, in, 4, in, w, bias, y, 0, out, out);
                xs.add(x);
                alone.add(y);
            }
            List<Callable<float[]>> steps = new ArrayList<>();
            for (float[] x : xs)
                steps.add(() -> {
                    float[] y = new float[4 * out];
                    Kernels.matmul().linear(x, 0, in, 4, in, w, bias, y, 0, out, out);
                    return y;
                });
            List<float[]> together = BatchedSteps.run(steps);
            for (int s = 0; s < 3; s++) assertThat(together.get(s)).as("%s step %d", w.dtype(), s).containsExactly(alone.get(s));
        }
    }
}
