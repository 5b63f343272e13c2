package io.parla.focalcodec;

import io.parla.core.nn.CheckpointMismatchException;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoadingTest {
    static final String CASE = "tiny_causal_50hz_2k";

    @TempDir
    Path dir;

    private Path copyWith(String caseName, java.util.function.Function<Map<String, Tensor>, List<SafeTensorsWriter.Entry>> edit) throws IOException {
        Path src = Golden.dir(caseName);
        Files.copy(src.resolve("config.json"), dir.resolve("config.json"));
        try (SafeTensors st = SafeTensors.open(src.resolve("model.safetensors"))) {
            SafeTensorsWriter.write(dir.resolve("model.safetensors"), Map.of(), edit.apply(st.tensors()));
        }
        return dir;
    }

    private static float[] sig() {
        try (SafeTensors exp = Golden.expected(CASE)) {
            return exp.get("input.sig").toFloatArray();
        }
    }

    @Test
    void directoryWithoutConfigIsAClearError() {
        assertThatThrownBy(() -> FocalCodec.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining(dir.resolve("config.json").toString()).hasMessageContaining("no config.json");
    }

    @Test
    void missingWeightsIsAClearError() throws IOException {
        Files.copy(Golden.dir(CASE).resolve("config.json"), dir.resolve("config.json"));
        assertThatThrownBy(() -> FocalCodec.load(dir)).hasMessageContaining("no model.safetensors");
    }

    @Test
    void badConfigValuesAreNamed() throws IOException {
        String json = Files.readString(Golden.dir(CASE).resolve("config.json"));
        Files.writeString(dir.resolve("config.json"), json.replace("\"dim\": 64,", "\"dim\": 99999999,"));
        assertThatThrownBy(() -> FocalCodec.load(dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("encoder_config.dim must be in [1, 65536]");
        Files.writeString(dir.resolve("config.json"), json.replace("\"num_layers\": 2,", "\"num_layers\": 2, \"bogus\": 1,"));
        assertThatThrownBy(() -> FocalCodec.load(dir)).hasMessageContaining("unknown keys [bogus]");
        Files.writeString(dir.resolve("config.json"), "{not json");
        assertThatThrownBy(() -> FocalCodec.load(dir)).hasMessageContaining("not valid JSON");
    }

    @Test
    void misfitCheckpointListsMissingUnexpectedAndMisshapedAtOnce() throws IOException {
        copyWith(CASE, tensors -> {
            List<SafeTensorsWriter.Entry> out = new ArrayList<>();
            for (Tensor t : tensors.values()) {
                if (t.name().equals("encoder.norm.bias")) continue;
                if (t.name().equals("compressor.out_proj.bias")) {
                    out.add(SafeTensorsWriter.ofFloats(t.name(), new float[12], 12));
                    continue;
                }
                out.add(SafeTensorsWriter.copyOf(t, DType.F32));
            }
            out.add(SafeTensorsWriter.ofFloats("extra.weight", new float[2], 2));
            return out;
        });
        assertThatThrownBy(() -> FocalCodec.load(dir)).isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("1 missing, 1 unexpected, 1 mis-shaped")
                .hasMessageContaining("encoder.norm.bias[32]")
                .hasMessageContaining("extra.weight")
                .hasMessageContaining("compressor.out_proj.bias is [12], expected [11]");
    }

    @Test
    void v001LayoutLoadsAndGivesTheSameTokens() throws IOException {
        copyWith(CASE, tensors -> {
            List<SafeTensorsWriter.Entry> out = new ArrayList<>();
            for (Tensor t : tensors.values()) {
                String n = t.name();
                if (n.endsWith("attention.qkv_proj.weight") || n.endsWith("attention.qkv_proj.bias")) {
                    float[] v = t.toFloatArray();
                    int rows = t.dim(0) / 3, cols = t.rank() == 2 ? t.dim(1) : 1;
                    String[] parts = {"q_proj", "k_proj", "v_proj"};
                    for (int p = 0; p < 3; p++) {
                        float[] part = java.util.Arrays.copyOfRange(v, p * rows * cols, (p + 1) * rows * cols);
                        int[] shape = t.rank() == 2 ? new int[] {rows, cols} : new int[] {rows};
                        out.add(SafeTensorsWriter.ofFloats(n.replace("qkv_proj", parts[p]), part, shape));
                    }
                    continue;
                }
                String old = n.replaceAll("^compressor\\.layers\\.(\\d+)\\.downscale\\.", "compressor.layers.$1.0.")
                        .replaceAll("^compressor\\.layers\\.(\\d+)\\.focal_block\\.", "compressor.layers.$1.1.")
                        .replaceAll("^decompressor\\.layers\\.(\\d+)\\.focal_block\\.", "decompressor.layers.$1.0.")
                        .replaceAll("^decompressor\\.layers\\.(\\d+)\\.upscale\\.", "decompressor.layers.$1.1.");
                out.add(new SafeTensorsWriter.Entry(old, DType.F32, t.shape(), SafeTensorsWriter.copyOf(t, DType.F32).source()));
            }
            out.add(SafeTensorsWriter.ofFloats("encoder.encoder.norm.weight", new float[64], 64));
            out.add(SafeTensorsWriter.ofFloats("encoder.encoder.norm.bias", new float[64], 64));
            return out;
        });
        try (FocalCodec v1 = FocalCodec.load(dir); FocalCodec v2 = FocalCodec.load(Golden.dir(CASE))) {
            float[] s = sig();
            assertThat(v1.sigToToks(s)).containsExactly(v2.sigToToks(s));
        }
    }

    @Test
    void bf16AndF16CheckpointsLoadAndStayClose() throws IOException {
        for (DType dt : new DType[] {DType.F16, DType.BF16}) {
            Path d = dir.resolve(dt.name());
            Files.createDirectories(d);
            Files.copy(Golden.dir(CASE).resolve("config.json"), d.resolve("config.json"));
            try (SafeTensors st = SafeTensors.open(Golden.dir(CASE).resolve("model.safetensors"))) {
                List<SafeTensorsWriter.Entry> out = new ArrayList<>();
                for (Tensor t : st.tensors().values()) out.add(SafeTensorsWriter.copyOf(t, dt));
                SafeTensorsWriter.write(d.resolve("model.safetensors"), Map.of(), out);
            }
            try (FocalCodec low = FocalCodec.load(d); FocalCodec f32 = FocalCodec.load(Golden.dir(CASE))) {
                float[] s = sig();
                int[] a = low.sigToToks(s), b = f32.sigToToks(s);
                int same = 0;
                for (int i = 0; i < a.length; i++) if (a[i] == b[i]) same++;
                double agreement = same / (double) a.length;
                double err = Golden.relError(low.toksToSig(b), f32.toksToSig(b));
                System.out.printf("%s weights: token agreement %.1f%%, decoder max error %.2e of max%n", dt, 100 * agreement, err);
                assertThat(agreement).isGreaterThan(0.8);
                assertThat(err).isLessThan(dt == DType.F16 ? 5e-3 : 5e-2);
            }
        }
    }
}
