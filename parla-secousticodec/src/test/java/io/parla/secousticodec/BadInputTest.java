package io.parla.secousticodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BadInputTest {
    private static Map<String, Tensor> load(String file) {
        try (SafeTensors st = SafeTensors.open(Golden.DIR.resolve(file))) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (Tensor t : st.tensors().values()) m.put(t.name(), Tensor.ofFloats(t.name(), t.toFloatArray(), t.shape()));
            return m;
        }
    }

    @Test
    void configMustNameTheFamilyAndKnownKeysOnly() {
        assertThat(SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\",\"seanet\":{\"ratios\":[2,2]}}").latentDim())
                .isEqualTo(512);
        assertThat(SecoustiConfig.released(new int[] {1, 1}).seanet().hopFrames()).isEqualTo(1);
        assertThat(Golden.config().codebookSize()).isEqualTo(6561);
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"focalcodec\",\"seanet\":{\"ratios\":[2,2]}}"))
                .hasMessageContaining("model_family must be \"secousticodec\"");
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\",\"seanet\":{\"ratios\":[2,2],\"ratio\":3}}"))
                .hasMessageContaining("unknown config keys [seanet.ratio]");
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\"}"))
                .hasMessageContaining("seanet.ratios is required");
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\",\"seanet\":{\"ratios\":[2,2]},"
                + "\"transformer\":{\"num_heads\":\"8\"}}")).hasMessageContaining("transformer.num_heads must be an integer");
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\",\"format_version\":2,"
                + "\"seanet\":{\"ratios\":[2,2]}}")).hasMessageContaining("format_version 2");
        assertThatThrownBy(() -> SecoustiConfig.fromJson("{\"model_family\":\"secousticodec\",\"seanet\":{\"ratios\":[2,2]},"
                + "\"vocoder\":{\"istft_hop\":2}}")).hasMessageContaining("must equal mel.hop = 256");
    }

    @Test
    void checkpointMismatchListsEverythingAtOnce() {
        Map<String, Tensor> codec = load("codec_weights.safetensors");
        codec.remove("decoder.model.8.conv.conv.bias");
        codec.remove("encoder_transformer.transformer.layers.1.linear2.weight");
        codec.put("training_only.discriminator.weight", Tensor.ofFloats("x", new float[1], 1));
        codec.put("fsq.project_out.weight", Tensor.ofFloats("fsq.project_out.weight", new float[8 * 31], 31, 8));
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> SecoustiCodec.fromStateDicts(Golden.config(), codec, null));
        assertThat(t).isInstanceOf(CheckpointMismatchException.class);
        CheckpointMismatchException e = (CheckpointMismatchException) t;
        System.out.println(e.getMessage());
        assertThat(e.missing()).containsExactlyInAnyOrder("decoder.model.8.conv.conv.bias [80]",
                "encoder_transformer.transformer.layers.1.linear2.weight [32, 64]");
        assertThat(e.unexpected()).containsExactly("training_only.discriminator.weight");
        assertThat(e.misshaped()).containsExactly("fsq.project_out.weight: expected [32, 8], found [31, 8]");
    }

    @Test
    void vocoderAcceptsAllWeightNormNamingsAndRejectsHalfPairs() {
        Map<String, Tensor> codec = load("codec_weights.safetensors");
        Map<String, Tensor> hift = load("hift_weights.safetensors");
        // fold conv_post by hand into a plain ".weight": same result as the parametrized pair
        float[] g = hift.remove("conv_post.parametrizations.weight.original0").toFloatArray();
        Tensor v = hift.remove("conv_post.parametrizations.weight.original1");
        hift.put("conv_post.weight", Tensor.ofFloats("conv_post.weight", Weights.foldWeightNorm(g, v.toFloatArray(), 18), v.shape()));
        SecoustiCodec folded = SecoustiCodec.fromStateDicts(Golden.config(), codec, hift);
        Map<String, float[]> e = Golden.expected();
        assertThat(folded.vocoderConvPost(e.get("mel_token"), e.get("hift_source")))
                .isEqualTo(Golden.codec().vocoderConvPost(e.get("mel_token"), e.get("hift_source")));
        hift.remove("conv_post.weight");
        hift.put("conv_post.weight_v", v);
        assertThatThrownBy(() -> SecoustiCodec.fromStateDicts(Golden.config(), codec, hift))
                .isInstanceOf(CheckpointMismatchException.class).hasMessageContaining("conv_post.weight_g [18, 1, 1]");
    }

    @Test
    void apiRejectsBadInputs() {
        SecoustiCodec c = Golden.codec();
        assertThatThrownBy(() -> c.sigToToks(new float[16000], 16000))
                .isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("16000 Hz");
        assertThatThrownBy(() -> c.sigToToks(new float[100], 22050)).hasMessageContaining("at least 385 samples");
        float[] nan = new float[4096];
        nan[7] = Float.NaN;
        assertThatThrownBy(() -> c.sigToToks(nan, 22050)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> c.sigToToks(new float[4096], 0)).hasMessageContaining("positive");
        float[] p = new float[32];
        assertThatThrownBy(() -> c.toksToFeats(new int[] {6561}, p)).hasMessageContaining("outside [0, 6561)");
        assertThatThrownBy(() -> c.toksToFeats(new int[] {-1}, p)).hasMessageContaining("outside");
        assertThatThrownBy(() -> c.toksToFeats(new int[] {1, 2}, new float[31])).hasMessageContaining("need 32");
        assertThatThrownBy(() -> c.toksToFeats(new int[0], p)).hasMessageContaining("no tokens");
        assertThatThrownBy(() -> c.featsToToks(new float[81])).hasMessageContaining("multiple of 80");
        assertThatThrownBy(() -> Golden.codec86().toksToSig(new int[] {1}, p, 1L))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without vocoder");
        assertThatThrownBy(() -> Excitation.recorded(new float[3], new float[3]).startPhases(9)).hasMessageContaining("need 9");
    }

    @Test
    void shortUtteranceRoundTrip() {
        // 0.1 s: 8 mel frames -> 2 tokens -> 8 decoded frames -> 2048 samples
        SecoustiCodec c = Golden.codec();
        float[] x = new float[2205];
        for (int i = 0; i < x.length; i++) x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 22050.0));
        SecoustiCodec.Encoding enc = c.encode(x, 22050);
        assertThat(enc.tokens()).hasSize(2);
        assertThat(enc.paralinguistic()).hasSize(32);
        float[] y = c.toksToSig(enc.tokens(), enc.paralinguistic(), 7L);
        assertThat(y).hasSize(2048);
        for (float v : y) assertThat(Math.abs(v)).isLessThanOrEqualTo(0.99f);
    }

    @Test
    void loadsModelDirectory() throws Exception {
        Path dir = Files.createTempDirectory("secousti");
        try {
            Files.copy(Golden.DIR.resolve("config.json"), dir.resolve("config.json"));
            Files.copy(Golden.DIR.resolve("codec_weights.safetensors"), dir.resolve("codec.safetensors"));
            SecoustiCodec c = SecoustiCodec.load(dir);
            assertThat(c.hasVocoder()).isFalse();
            assertThat(c.featsToToks(Golden.expected().get("mel"))).isEqualTo(Golden.ints(Golden.expected().get("tokens")));
            Files.delete(dir.resolve("codec.safetensors"));
            assertThatThrownBy(() -> SecoustiCodec.load(dir)).hasMessageContaining("neither codec.safetensors nor codec.pt");
        } finally {
            try (var s = Files.list(dir)) {
                for (Path p : s.toList()) Files.delete(p);
            }
            Files.delete(dir);
        }
    }
}
