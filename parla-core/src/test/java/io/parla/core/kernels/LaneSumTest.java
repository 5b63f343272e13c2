package io.parla.core.kernels;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The parked-accumulator sum gives the butterfly's bits, whatever the magnitudes (cancellation included). */
class LaneSumTest {
    @Test
    void parkedSumEqualsTheButterfly() {
        int l = VectorMatMul.L;
        Random r = new Random(11);
        float[] a = new float[3 * l];
        for (int trial = 0; trial < 200_000; trial++) {
            for (int i = 0; i < a.length; i++)
                a[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6)) * (r.nextInt(5) == 0 ? -1e6f : 1f);
            int at = r.nextInt(2 * l + 1);
            float butterfly = VectorMatMul.sum(FloatVector.fromArray(VectorMatMul.S, a, at));
            assertThat(Float.floatToIntBits(VectorMatMul.sumParked(a, at))).as("trial %d", trial)
                    .isEqualTo(Float.floatToIntBits(butterfly));
        }
    }

    @Test
    void transposedReductionOfEightAccumulatorsEqualsEachButterfly() {
        // the tiles' vector reduction must leave accumulator k's butterfly sum, bit for bit, in slot k: a lane
        // added out of the tree's order, or a slot taken from the wrong accumulator, fails here
        int l = VectorMatMul.L;
        Random r = new Random(12);
        float[] park = new float[8 * l], copy = new float[8 * l];
        for (int trial = 0; trial < 50_000; trial++) {
            for (int i = 0; i < park.length; i++)
                park[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(13) - 6)) * (r.nextInt(5) == 0 ? -1e6f : 1f);
            if (trial % 97 == 0) park[r.nextInt(park.length)] = Float.POSITIVE_INFINITY;
            System.arraycopy(park, 0, copy, 0, park.length);
            VectorMatMul.reduceParked8(park);
            for (int k = 0; k < 8; k++) {
                float butterfly = VectorMatMul.sum(FloatVector.fromArray(VectorMatMul.S, copy, k * l));
                assertThat(Float.floatToIntBits(park[k])).as("trial %d accumulator %d", trial, k)
                        .isEqualTo(Float.floatToIntBits(butterfly));
            }
        }
    }
}
