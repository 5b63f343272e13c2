package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.train.model.CodebookWidening;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.DecoderGrowth;
import io.parla.train.model.EncoderGrowth;
import io.parla.train.model.EncoderWidening;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamStore;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Growing the codebook, the encoder or the decoder keeps the model's output; the grouped entropy term keeps the exact per-frame entropy. */
class ModelGrowthTest {
    static CodecConfig withBits(int bits) {
        return TinyFixtures.causalVocos().with("quantizer", "codebook_size", 1L << bits)
                .with("compressor", "output_dim", (long) bits).with("decompressor", "input_dim", (long) bits);
    }

    static NDArray speechLike(NDManager m, int n) {
        Random rnd = new Random(3);
        float[] x = new float[n];
        for (int i = 0; i < n; i++)
            x[i] = (float) (0.3 * Math.sin(2 * Math.PI * 140 * i / 16000.0) * (1 + Math.sin(i / 900.0)) + 0.02 * rnd.nextGaussian());
        return m.create(x, new Shape(1, n));
    }

    /**
     * The grown model ({@code grown}) gives the small one's audio ({@code small}) to 1e-4 of its peak, while the grown
     * model before its growth step ({@code fresh}) did not, so the comparison can fail.
     */
    static void assertGrownGivesTheSameAudio(float[] small, float[] grown, float[] fresh, String freshDiffers) {
        double maxDiff = 0, changed = 0, peak = 0;
        for (int i = 0; i < small.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(small[i] - grown[i]));
            changed = Math.max(changed, Math.abs(small[i] - fresh[i]));
            peak = Math.max(peak, Math.abs(small[i]));
        }
        assertThat(changed).as(freshDiffers).isGreaterThan(1e-3 * peak);
        assertThat(maxDiff).isLessThan(1e-4 * peak + 1e-6);
    }

    @Test
    void widenedModelGivesTheSameAudioAndTheOldBitsAsItsLeadingBits() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> small = ParamStore.init(m, withBits(8), 7);
            Map<String, NDArray> wide = ParamStore.init(m, withBits(12), 8);
            // the fresh init has a zero bias; give the source non-trivial values so a skipped copy shows
            small.get("compressor.out_proj.bias").set(new float[] {.1f, -.2f, .3f, -.05f, .02f, .4f, -.3f, .2f});
            small.get("decompressor.in_proj.bias").set(m.randomNormal(new Shape(16)).toFloatArray());
            for (var e : small.entrySet())
                if (!CodebookWidening.NAMES.contains(e.getKey())) wide.get(e.getKey()).set(e.getValue().toFloatArray());
            assertThat(CodebookWidening.apply(wide, small)).isEqualTo(8);

            NDArray sig = speechLike(m, 6400);
            FocalNet a = new FocalNet(withBits(8), small), b = new FocalNet(withBits(12), wide);
            float[] ya = a.reconstruct(sig, true).toFloatArray(), yb = b.reconstruct(sig, true).toFloatArray();
            assertThat(yb.length).isEqualTo(ya.length);
            double maxDiff = 0, peak = 0;
            for (int i = 0; i < ya.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(ya[i] - yb[i]));
                peak = Math.max(peak, Math.abs(ya[i]));
            }
            assertThat(peak).isGreaterThan(1e-4);
            assertThat(maxDiff).isLessThan(1e-4 * peak + 1e-6);

            long[][] ta = FocalNet.tokens(a.featsToLats(a.encode(sig)));
            long[][] tb = FocalNet.tokens(b.featsToLats(b.encode(sig)));
            for (int t = 0; t < ta[0].length; t++) assertThat(tb[0][t] >> 4).isEqualTo(ta[0][t]);
        }
    }

    @Test
    void deeperEncoderWithIdentityLayersGivesTheSameAudio() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodecConfig shallow = TinyFixtures.causalVocos(), deep = shallow.with("encoder", "num_layers", 4L);
            Map<String, NDArray> small = ParamStore.init(m, shallow, 7), big = ParamStore.init(m, deep, 8);
            for (var e : small.entrySet()) big.get(e.getKey()).set(e.getValue().toFloatArray());
            NDArray sig = speechLike(m, 6400);
            float[] before = new FocalNet(deep, big).reconstruct(sig, true).toFloatArray();
            EncoderGrowth.identityLayers(big, 2, 4);
            float[] ya = new FocalNet(shallow, small).reconstruct(sig, true).toFloatArray();
            float[] yb = new FocalNet(deep, big).reconstruct(sig, true).toFloatArray();
            assertGrownGivesTheSameAudio(ya, yb, before, "fresh layers change the output");
            assertThatThrownBy(() -> EncoderGrowth.identityLayers(big, 4, 4)).hasMessageContaining("more layers");
            assertThatThrownBy(() -> EncoderGrowth.identityLayers(big, 2, 5)).hasMessageContaining("layers.4");
        }
    }

    @Test
    void deeperAndWiderDecoderGivesTheSameAudio() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodecConfig small = TinyFixtures.causalVocos();
            int layers = small.dec().i("num_layers", 8), ffn = small.dec().i("ffn_dim", 1536);
            CodecConfig big = small.with("decoder", "num_layers", (long) layers + 2).with("decoder", "ffn_dim", 2L * ffn);
            Map<String, NDArray> src = ParamStore.init(m, small, 7), dst = ParamStore.init(m, big, 8);
            for (var e : src.entrySet()) {
                NDArray d = dst.get(e.getKey());
                if (java.util.Arrays.equals(d.getShape().getShape(), e.getValue().getShape().getShape())) d.set(e.getValue().toFloatArray());
            }
            NDArray sig = speechLike(m, 6400);
            float[] before = new FocalNet(big, dst).reconstruct(sig, true).toFloatArray();
            assertThat(DecoderGrowth.apply(dst, src)).containsExactly(layers, layers + 2, ffn, 2 * ffn);
            float[] ya = new FocalNet(small, src).reconstruct(sig, true).toFloatArray();
            float[] yb = new FocalNet(big, dst).reconstruct(sig, true).toFloatArray();
            assertGrownGivesTheSameAudio(ya, yb, before, "the fresh model's output differs");
            assertThatThrownBy(() -> DecoderGrowth.apply(src, dst)).hasMessageContaining("decoder growth needs");
            assertThatThrownBy(() -> DecoderGrowth.apply(src, src)).hasMessageContaining("decoder growth needs");
        }
    }

    @Test
    void widerEncoderFrontEndAndFeedForwardGiveTheSameAudio() {
        try (NDManager m = NDManager.newBaseManager()) {
            CodecConfig small = TinyFixtures.causalVocos();
            // 16 -> 32, 48, 16, 32 channels: 2, 3, 1 and 2 copies of each old channel
            CodecConfig wide = small.with("encoder", "hidden_dims", java.util.List.of(32L, 48L, 16L, 32L))
                    .with("encoder", "ffn_dim", 96L);
            Map<String, NDArray> src = ParamStore.init(m, small, 7), dst = ParamStore.init(m, wide, 8);
            // fresh layer norms are the identity; give the source's norms values so a wrong copy shows
            Random rnd = new Random(5);
            for (var e : src.entrySet())
                if (e.getKey().startsWith("encoder.") && e.getKey().contains("norm.")) {
                    float[] v = e.getValue().toFloatArray();
                    for (int i = 0; i < v.length; i++) v[i] += (float) (0.3 * rnd.nextGaussian());
                    e.getValue().set(v);
                }
            for (var e : src.entrySet()) {
                NDArray d = dst.get(e.getKey());
                if (java.util.Arrays.equals(d.getShape().getShape(), e.getValue().getShape().getShape())) d.set(e.getValue().toFloatArray());
            }
            NDArray sig = speechLike(m, 6400);
            float[] before = new FocalNet(wide, dst).reconstruct(sig, true).toFloatArray();
            assertThat(EncoderWidening.apply(dst, src, 0, 1)).containsExactly(16, 16, 16, 16, 32, 48, 16, 32, 64, 96);
            float[] ya = new FocalNet(small, src).reconstruct(sig, true).toFloatArray();
            float[] yb = new FocalNet(wide, dst).reconstruct(sig, true).toFloatArray();
            assertGrownGivesTheSameAudio(ya, yb, before, "the fresh wide model's output differs");

            // with symmetry-breaking noise the copies differ, and the output moves only a little
            Map<String, NDArray> noisy = ParamStore.init(m, wide, 8);
            for (var e : dst.entrySet()) noisy.get(e.getKey()).set(e.getValue().toFloatArray());
            EncoderWidening.apply(noisy, src, 0.01, 1);
            float[] w0 = noisy.get("encoder.feature_extractor.layers.1.conv.weight").toFloatArray();
            // [48, 32, 8]: output channel 16 copies channel 0
            assertThat(w0[16 * 32 * 8]).isNotEqualTo(w0[0]);
            float[] yn = new FocalNet(wide, noisy).reconstruct(sig, true).toFloatArray();
            double diff = 0, peak = 0;
            for (int i = 0; i < ya.length; i++) {
                diff = Math.max(diff, Math.abs(ya[i] - yn[i]));
                peak = Math.max(peak, Math.abs(ya[i]));
            }
            assertThat(diff).isGreaterThan(0).isLessThan(0.05 * peak);

            assertThatThrownBy(() -> EncoderWidening.apply(src, dst, 0, 1)).hasMessageContaining("is not a widening");
            assertThatThrownBy(() -> EncoderWidening.apply(src, src, 0, 1)).hasMessageContaining("needs wider");
            // a layer norm sees uneven copies (40 of 16 channels: 3 or 2 each) with another mean and variance
            CodecConfig uneven = small.with("encoder", "hidden_dims", java.util.List.of(40L, 16L, 16L, 16L));
            assertThatThrownBy(() -> EncoderWidening.apply(ParamStore.init(m, uneven, 8), src, 0, 1))
                    .hasMessageContaining("multiple of");
        }
    }

    @Test
    void narrowingOrMismatchedShapesAreRefused() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> small = ParamStore.init(m, withBits(8), 7);
            Map<String, NDArray> wide = ParamStore.init(m, withBits(12), 8);
            assertThatThrownBy(() -> CodebookWidening.apply(small, wide)).hasMessageContaining("codebook widening needs");
            wide.remove("decompressor.in_proj.bias");
            assertThatThrownBy(() -> CodebookWidening.apply(wide, small)).hasMessageContaining("decompressor.in_proj.bias");
        }
    }

    @Test
    void groupedEntropyKeepsThePerFrameEntropyExact() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray lats = io.parla.train.model.Ops.l2normalize(m.randomNormal(new Shape(2, 30, 8)));
            // gamma 0: only the per-frame entropy, which factorises over bits, so any grouping gives the same value
            float exact = Stage.jointEntropyTerm(lats, 4.0, 0.0, 1).getFloat();
            assertThat(Stage.jointEntropyTerm(lats, 4.0, 0.0, 2).getFloat()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-4f));
            assertThat(Stage.jointEntropyTerm(lats, 4.0, 0.0, 4).getFloat()).isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-4f));
            // the usage term is bounded by the group sums: grouped >= joint usage entropy, so the term is lower
            assertThat(Stage.jointEntropyTerm(lats, 4.0, 1.0, 2).getFloat())
                    .isLessThanOrEqualTo(Stage.jointEntropyTerm(lats, 4.0, 1.0, 1).getFloat() + 1e-4f);
            assertThatThrownBy(() -> Stage.jointEntropyTerm(lats, 4.0, 1.0, 3)).hasMessageContaining("does not divide");
            NDArray wide = io.parla.train.model.Ops.l2normalize(m.randomNormal(new Shape(1, 4, 16)));
            assertThatThrownBy(() -> Stage.jointEntropyTerm(wide, 4.0, 1.0, 1)).hasMessageContaining("at most 14 bits per group");
        }
    }
}
