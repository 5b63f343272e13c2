package io.parla.train;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoint averaging: the element-wise mean of float tensors, integer tensors kept, mismatches refused by name. */
class WeightAveragingTest {
    private static Path snapshot(Path dir, String config, float[] w, long[] step, DType wType) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), config);
        Tensor t = Tensor.ofFloats("layer.weight", w, 2, 2);
        SafeTensorsWriter.write(dir.resolve("model.safetensors"), Map.of(), List.of(
                SafeTensorsWriter.copyOf(t, wType), SafeTensorsWriter.ofLongs("counter", step, step.length)));
        return dir;
    }

    @Test
    void meanOfFloatTensorsInTheStoredType(@TempDir Path tmp) throws Exception {
        Path a = snapshot(tmp.resolve("a"), "{\"x\": 1}", new float[] {1, 2, 3, 4}, new long[] {7}, DType.F32);
        Path b = snapshot(tmp.resolve("b"), "{\"x\": 1}", new float[] {3, 2, 1, -4}, new long[] {7}, DType.F32);
        Path c = snapshot(tmp.resolve("c"), "{\"x\": 1}", new float[] {2, 5, 2, 3}, new long[] {7}, DType.F32);
        WeightAveraging.average(List.of(a, b, c), tmp.resolve("out"));
        try (SafeTensors st = SafeTensors.open(tmp.resolve("out/model.safetensors"))) {
            assertThat(st.get("layer.weight").dtype()).isEqualTo(DType.F32);
            assertThat(st.get("layer.weight").toFloatArray()).containsExactly(2f, 3f, 2f, 1f);
            assertThat(st.get("counter").toLongArray()).containsExactly(7L);
            assertThat(st.metadata().get("averaged_from")).contains(a.toString(), c.toString());
        }
        assertThat(Files.readString(tmp.resolve("out/config.json"))).isEqualTo("{\"x\": 1}");
        assertThat(Files.readAllLines(tmp.resolve("out/AVERAGED_FROM")))
                .containsExactly(a.toAbsolutePath().toString(), b.toAbsolutePath().toString(), c.toAbsolutePath().toString());
    }

    @Test
    void bf16StaysBf16(@TempDir Path tmp) throws Exception {
        Path a = snapshot(tmp.resolve("a"), "{}", new float[] {1, 2, 3, 4}, new long[] {1}, DType.BF16);
        Path b = snapshot(tmp.resolve("b"), "{}", new float[] {2, 4, 6, 8}, new long[] {1}, DType.BF16);
        WeightAveraging.average(List.of(a, b), tmp.resolve("out"));
        try (SafeTensors st = SafeTensors.open(tmp.resolve("out/model.safetensors"))) {
            assertThat(st.get("layer.weight").dtype()).isEqualTo(DType.BF16);
            assertThat(st.get("layer.weight").toFloatArray()).containsExactly(1.5f, 3f, 4.5f, 6f);
        }
    }

    @Test
    void f32SnapshotsStoredAsBf16WhenAskedAndIntegersKept(@TempDir Path tmp) throws Exception {
        Path a = snapshot(tmp.resolve("a"), "{}", new float[] {1, 2, 3, 1.0078125f}, new long[] {5}, DType.F32);
        Path b = snapshot(tmp.resolve("b"), "{}", new float[] {2, 4, 6, 1.0078125f}, new long[] {5}, DType.F32);
        WeightAveraging.average(List.of(a, b), tmp.resolve("out"), DType.BF16);
        try (SafeTensors st = SafeTensors.open(tmp.resolve("out/model.safetensors"))) {
            assertThat(st.get("layer.weight").dtype()).isEqualTo(DType.BF16);
            // 1.0078125 = 1 + 2^-7 is exact in BF16's 8-bit significand; 1.5, 3 and 4.5 are too
            assertThat(st.get("layer.weight").toFloatArray()).containsExactly(1.5f, 3f, 4.5f, 1.0078125f);
            assertThat(st.get("counter").dtype()).isEqualTo(DType.I64);
        }
        assertThatThrownBy(() -> WeightAveraging.average(List.of(a, b), tmp.resolve("out2"), DType.I64))
                .hasMessageContaining("F32, F16 or BF16");
    }

    @Test
    void refusesSnapshotsOfDifferentModels(@TempDir Path tmp) throws Exception {
        Path a = snapshot(tmp.resolve("a"), "{\"dim\": 1}", new float[] {1, 2, 3, 4}, new long[] {1}, DType.F32);
        Path b = snapshot(tmp.resolve("b"), "{\"dim\": 2}", new float[] {1, 2, 3, 4}, new long[] {1}, DType.F32);
        assertThatThrownBy(() -> WeightAveraging.average(List.of(a, b), tmp.resolve("out")))
                .hasMessageContaining(b.resolve("config.json").toString()).hasMessageContaining("differs");
        Path c = snapshot(tmp.resolve("c"), "{\"dim\": 1}", new float[] {1, 2, 3, 4}, new long[] {2}, DType.F32);
        assertThatThrownBy(() -> WeightAveraging.average(List.of(a, c), tmp.resolve("out")))
                .hasMessageContaining("counter").hasMessageContaining(c.resolve("model.safetensors").toString());
        Path d = snapshot(tmp.resolve("d"), "{\"dim\": 1}", new float[] {1, 2, 3, 4}, new long[] {1}, DType.BF16);
        assertThatThrownBy(() -> WeightAveraging.average(List.of(a, d), tmp.resolve("out")))
                .hasMessageContaining("layer.weight").hasMessageContaining("BF16");
        assertThatThrownBy(() -> WeightAveraging.average(List.of(a), tmp.resolve("out"))).hasMessageContaining("at least two");
        assertThat(tmp.resolve("out")).doesNotExist();
    }
}
