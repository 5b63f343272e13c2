package io.parla.core.nn;

import io.parla.core.kernels.Weight;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The int8 storage convention: what is written is what load-time quantisation computes, and it reads back. */
class Int8RowsTest {
    @TempDir
    Path tmp;

    @Test
    void storedRowsEqualLoadTimeQuantisationAndDequantiseWithinHalfAStep() throws Exception {
        int rows = 8192, cols = 24; // large enough that the quantisation is split over threads
        float[] v = new float[rows * cols];
        Random rnd = new Random(7);
        for (int i = 0; i < v.length; i++) v[i] = (float) (rnd.nextGaussian() * (1 + i / cols % 5));
        Tensor t = Tensor.ofFloats("m.weight", v, rows, cols);
        Path file = tmp.resolve("q.safetensors");
        try (Arena confined = Arena.ofConfined()) { // a caller's confined arena must not matter
            SafeTensorsWriter.write(file, Map.of(), Int8Rows.entries(t));
            Weight expected = Weight.quantizeRows(t::getFloat, rows, cols, Arena.ofAuto());
            try (SafeTensors st = SafeTensors.open(file)) {
                Tensor q = st.get("m.weight"), s = st.get("m.weight" + Int8Rows.SCALE_SUFFIX);
                assertThat(q.dtype()).isEqualTo(DType.I8);
                assertThat(s.shape()).containsExactly(rows);
                assertThat(q.data().asByteBuffer()).isEqualTo(expected.data().asByteBuffer());
                for (int r = 0; r < rows; r++)
                    assertThat(s.data().getAtIndex(Tensor.F32_LE, r)).isEqualTo(expected.scales().getAtIndex(Tensor.F32_LE, r));
                Tensor back = Int8Rows.dequantize(q, s, confined);
                for (int i = 0; i < v.length; i++) {
                    float step = s.data().getAtIndex(Tensor.F32_LE, i / cols);
                    assertThat(Math.abs(back.getFloat(i) - v[i])).isLessThanOrEqualTo(step / 2 * 1.0001f);
                }
                assertThat(q.data().get(ValueLayout.JAVA_BYTE, 0)).isEqualTo(expected.data().get(ValueLayout.JAVA_BYTE, 0));
            }
        }
    }
}
