package io.parla.core.kernels;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vector API element kernels agree with the scalar reference on random inputs of awkward lengths. */
class VectorOpsTest {
    private final VectorOps vec = new VectorApiOps(), ref = new ScalarOps();

    @Test
    void geluMatchesTheErfFormEverywhere() {
        Random r = new Random(1);
        for (int n : new int[] {1, 7, 16, 33, 1000}) {
            float[] a = new float[n + 3];
            for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * 4);
            a[0] = 0f;
            float[] b = a.clone();
            vec.gelu(a, 1, n);
            ref.gelu(b, 1, n);
            assertThat(a[0]).isEqualTo(b[0]);
            for (int i = 0; i < a.length; i++) assertThat((double) Math.abs(a[i] - b[i])).as("x=%s", b[i]).isLessThan(3e-7 * Math.max(1, Math.abs(b[i])));
        }
        float[] extremes = {-30f, -8f, -1e-8f, 1e-8f, 8f, 30f, -0f};
        float[] e2 = extremes.clone();
        vec.gelu(extremes, 0, extremes.length);
        ref.gelu(e2, 0, e2.length);
        for (int i = 0; i < e2.length; i++) assertThat((double) Math.abs(extremes[i] - e2[i])).isLessThan(1e-6);
    }

    @Test
    void geluLaneTwinGivesTheVectorLoopsBits() {
        // the cold path (scalar lanes while C2 has not compiled the loop) must not change a single output bit
        Random r = new Random(4);
        int L = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length();
        float[] x = new float[L * 8192];
        for (int i = 0; i < x.length; i++)
            x[i] = switch (i % 4) {
                case 0 -> (float) (r.nextGaussian() * 3);
                case 1 -> (float) (r.nextGaussian() * 40);
                case 2 -> Float.intBitsToFloat(r.nextInt());  // any bit pattern: NaN, infinities, subnormals
                default -> (float) (r.nextDouble() * 1e-6 - 5e-7);
            };
        float[] special = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
                -Float.MIN_VALUE, 12.6f, -12.6f, 9.5f, -9.5f, Float.MAX_VALUE, -Float.MAX_VALUE};
        System.arraycopy(special, 0, x, 0, special.length);
        float[] y = x.clone();
        compiledPathsInUse();
        vec.gelu(y, 0, y.length);
        for (int i = 0; i < x.length; i++)
            assertThat(Float.floatToIntBits(VectorApiOps.geluLane(x[i]))).as("x=%s", x[i]) // NaN payloads may differ
                    .isEqualTo(Float.floatToIntBits(y[i]));
    }

    @Test
    void laneExpIsAccurateAndEqualsItsScalarTwin() {
        Random r = new Random(3);
        jdk.incubator.vector.VectorSpecies<Float> sp = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        float[] x = new float[sp.length() * 4096];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 188 - 100);  // [-100, 88]
        x[0] = 0f;
        x[1] = -87.5f;
        x[2] = 88f;
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i += sp.length())
            VectorApiOps.exp(jdk.incubator.vector.FloatVector.fromArray(sp, x, i)).intoArray(y, i);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            assertThat(Float.floatToIntBits(y[i])).as("x=%s", x[i]).isEqualTo(Float.floatToIntBits(VectorApiOps.expf(x[i])));
            double e = x[i] < -87f ? 0 : Math.exp(x[i]);
            if (x[i] >= -87f) worst = Math.max(worst, Math.abs(y[i] - e) / e);
            else assertThat(y[i]).isZero();
        }
        assertThat(worst).as("relative error").isLessThan(3e-7);
    }

    @Test
    void expShiftedLaneTwinGivesTheVectorLoopsBits() {
        // softmax's exponentials and their sum, on the cold path and compiled: not one bit apart
        Random r = new Random(5);
        for (int n : new int[] {1, 7, 8, 9, 64, 77, 1000}) {
            float[] x = new float[n + 6];
            // comparable terms (a softmax row's scores), so that any other summation order rounds differently
            for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
            x[4] = -95f; // underflows to 0 in the lanes
            float max = 3f;
            float[] a = x.clone(), b = x.clone();
            compiledPathsInUse();
            float sa = vec.expShifted(a, 3, n, max), sb = VectorApiOps.expShiftedLanes(b, 3, n, max);
            assertThat(Float.floatToIntBits(sb)).as("sum, n=%d", n).isEqualTo(Float.floatToIntBits(sa));
            assertThat(b).as("values, n=%d", n).isEqualTo(a);
        }
    }

    /** While a warm-up runs, the vector entry points themselves take the lane twins: wait for it (another test's). */
    private static void compiledPathsInUse() {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (Kernels.coldForCaller() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertThat(Kernels.coldForCaller()).as("a kernel warm-up still running").isFalse();
    }

    @Test
    void dotAxpyAndMulAddMatchScalar() {
        compiledPathsInUse();
        Random r = new Random(2);
        for (int n : new int[] {1, 15, 16, 17, 64, 100}) {
            float[] a = new float[n + 5], b = new float[n + 9];
            for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
            assertThat((double) vec.dot(a, 3, b, 7, n)).isCloseTo(ref.dot(a, 3, b, 7, n), org.assertj.core.data.Offset.offset(1e-4));
            float[] y1 = b.clone(), y2 = b.clone();
            vec.axpy(0.37f, a, 2, y1, 5, n);
            ref.axpy(0.37f, a, 2, y2, 5, n);
            for (int i = 0; i < y1.length; i++) assertThat((double) Math.abs(y1[i] - y2[i])).isLessThan(1e-6);
            float[] z1 = b.clone(), z2 = b.clone();
            vec.mulAdd(a, 1, b, 4, z1, 3, n - 4);
            ref.mulAdd(a, 1, b, 4, z2, 3, n - 4);
            assertThat(z1).as("mulAdd, bit for bit").isEqualTo(z2);
            if (n > 4) assertThat(z1[3]).isEqualTo(b[3] + a[1] * b[4]);
        }
    }
}
