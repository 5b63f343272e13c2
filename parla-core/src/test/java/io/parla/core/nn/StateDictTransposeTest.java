package io.parla.core.nn;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The blocked transpose behind the weight relayouts, on shapes that are and are not multiples of its block. */
class StateDictTransposeTest {
    @Test
    void blockedTransposeMatchesTheDefinition() {
        Random rnd = new Random(5);
        for (int[] rc : new int[][] {{1, 1}, {1, 77}, {64, 32}, {33, 65}, {1024, 7}, {3, 512}}) {
            int rows = rc[0], cols = rc[1];
            float[] src = new float[rows * cols];
            for (int i = 0; i < src.length; i++) src[i] = rnd.nextFloat();
            float[] dst = new float[src.length];
            StateDict.transpose(src, rows, cols, dst);
            for (int r = 0; r < rows; r++)
                for (int c = 0; c < cols; c++)
                    assertThat(dst[c * rows + r]).as("%dx%d at (%d, %d)", rows, cols, r, c).isEqualTo(src[r * cols + c]);
        }
    }
}
