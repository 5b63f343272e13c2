package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.core.tensor.DType;
import io.parla.focalcodec.FocalCodec;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamStore;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A causal Vocos checkpoint exported by the trainer decodes to the same audio in the trainer's graph and in
 * the runtime, with and without the head's cross-fade: what is trained is what ships.
 */
class RuntimeParityTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(ints = {0, 200})
    void trainerAndRuntimeDecodeTheSameTokensToTheSameAudio(int crossfade) throws Exception {
        CodecConfig cfg = TinyFixtures.causalVocos();
        if (crossfade > 0) cfg = cfg.with("decoder", "crossfade_length", (long) crossfade);
        assertThat(cfg.dec().i("crossfade_length", 0)).isEqualTo(crossfade);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = ParamStore.init(m, cfg, 21);
            Path dir = tmp.resolve("m" + crossfade);
            ParamStore.exportModel(dir, cfg, p, DType.F32);
            FocalNet net = new FocalNet(cfg, p);
            int n = 1280 * 6;
            float[] x = new float[n];
            Random r = new Random(4);
            for (int i = 0; i < n; i++) x[i] = (float) (0.3 * r.nextGaussian());
            NDArray lats = net.featsToLats(net.encode(m.create(x, new Shape(1, n))));
            long[] toks = FocalNet.tokens(lats)[0];
            float[] trained = net.decode(net.decompress(FocalNet.quantize(lats))).toFloatArray();
            int[] t = new int[toks.length];
            for (int i = 0; i < t.length; i++) t[i] = (int) toks[i];
            try (FocalCodec rt = FocalCodec.load(dir)) {
                float[] served = rt.toksToSig(t);
                assertThat(served).hasSameSizeAs(trained);
                double num = 0, den = 0;
                for (int i = 0; i < served.length; i++) {
                    num += (served[i] - trained[i]) * (double) (served[i] - trained[i]);
                    den += trained[i] * (double) trained[i];
                }
                assertThat(den).isGreaterThan(0);
                assertThat(Math.sqrt(num / den)).as("relative RMS error, crossfade %d", crossfade).isLessThan(1e-4);
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aCrossfadeTheRuntimeWouldRefuseFailsAtTheFirstStep() {
        CodecConfig cfg = TinyFixtures.causalVocos().with("decoder", "crossfade_length", 321L); // hop 320, n_fft 640
        try (NDManager m = NDManager.newBaseManager()) {
            FocalNet net = new FocalNet(cfg, ParamStore.init(m, cfg, 21));
            NDArray feats = m.randomNormal(new Shape(1, 8, 32));
            assertThatThrownBy(() -> net.decode(feats)).hasMessageContaining("crossfade_length 321")
                    .hasMessageContaining("0 to 320");
        }
    }
}
