package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamSpecs;
import io.parla.train.model.ParamStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExportAndCausalityTest {
    @TempDir
    Path tmp;

    @Test
    void exportedParametersReadBackIdentically() throws Exception {
        CodecConfig cfg = TinyFixtures.config(true);
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, NDArray> p = ParamStore.init(m, cfg, 3);
            ParamStore.exportModel(tmp.resolve("f32"), cfg, p, DType.F32);
            ParamStore.exportModel(tmp.resolve("bf16"), cfg, p, DType.BF16);
            CodecConfig back = CodecConfig.read(tmp.resolve("f32/config.json"));
            assertEquals(cfg.raw(), back.raw());
            Map<String, NDArray> f32 = ParamStore.readFor(m, back, tmp.resolve("f32/model.safetensors"));
            Map<String, NDArray> bf16 = ParamStore.readFor(m, back, tmp.resolve("bf16/model.safetensors"));
            assertEquals(ParamSpecs.of(cfg).keySet(), f32.keySet());
            for (String k : p.keySet()) {
                float[] a = p.get(k).toFloatArray();
                assertArrayEquals(a, f32.get(k).toFloatArray(), 0f, k);
                float[] b = bf16.get(k).toFloatArray();
                for (int i = 0; i < a.length; i++)
                    assertEquals(Float.intBitsToFloat(SafeTensorsWriter.toBf16(a[i]) << 16), b[i], 0f, k);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"WaveNeXt", "Vocos"})
    void causalCodecOutputDoesNotDependOnFutureInput(String decoder) {
        CodecConfig cfg = decoder.equals("Vocos") ? TinyFixtures.causalVocos() : TinyFixtures.config(true);
        try (NDManager m = NDManager.newBaseManager()) {
            FocalNet net = new FocalNet(cfg, ParamStore.init(m, cfg, 9));
            int n = 1280 * 8, cut = 1280 * 5;
            float[] x = new float[n];
            Random r = new Random(1);
            for (int i = 0; i < n; i++) x[i] = (float) (0.3 * r.nextGaussian());
            float[] y = x.clone();
            for (int i = cut; i < n; i++) y[i] = (float) (0.3 * r.nextGaussian());
            float[] a = run(net, m, x), b = run(net, m, y);
            double before = 0, after = 0;
            for (int i = 0; i < a.length; i++) {
                double d = Math.abs(a[i] - b[i]);
                if (i < cut) before = Math.max(before, d);
                else after = Math.max(after, d);
            }
            assertEquals(0.0, before, 1e-6, "output before the change moved");
            assertTrue(after > 1e-4, "output after the change should move (test is meaningful)");
            // tokens of chunks before the change are identical too
            long[] ta = FocalNet.tokens(net.featsToLats(net.encode(m.create(x, new Shape(1, n)))))[0];
            long[] tb = FocalNet.tokens(net.featsToLats(net.encode(m.create(y, new Shape(1, n)))))[0];
            for (int t = 0; t < cut / 320; t++) assertEquals(ta[t], tb[t], "token " + t);
        }
    }

    static float[] run(FocalNet net, NDManager m, float[] x) {
        NDArray sig = m.create(x, new Shape(1, x.length));
        return net.decode(net.decompress(FocalNet.quantize(net.featsToLats(net.encode(sig))))).toFloatArray();
    }
}
