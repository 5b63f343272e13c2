package io.parla.focalcodec;

import io.parla.core.json.Json;
import io.parla.core.tensor.DType;
import io.parla.core.util.ArrayConcat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The causal Vocos head with {@code crossfade_length} (Parla extension): only the first L samples of each
 * 20 ms block change, streaming in any push sizes gives the offline samples, and it stays causal.
 */
class CrossfadeHeadTest {
    static final int HOP = 320, FADE = 160;

    @TempDir
    static Path tmp;
    static int[] toks;

    /** The golden tiny causal model with a causal Vocos decoder (n_fft 640) of the given cross-fade. */
    static String config(Object crossfade, String decoderName) throws IOException {
        Map<String, Object> root = Json.parseObject(Files.readString(Golden.dir("tiny_causal_50hz_2k").resolve("config.json")));
        Map<String, Object> dec = new LinkedHashMap<>();
        dec.put("input_dim", 64L);
        dec.put("num_layers", 2L);
        dec.put("dim", 64L);
        dec.put("ffn_dim", 128L);
        dec.put("kernel_size", 7L);
        if (decoderName.equals("Vocos")) dec.put("n_fft", 640L);
        dec.put("hop_length", (long) HOP);
        dec.put("causal", true);
        if (crossfade != null) dec.put("crossfade_length", crossfade);
        root.put("decoder_name", decoderName);
        root.put("decoder_config", dec);
        return Json.write(root, 2);
    }

    static FocalCodec model(int crossfade) throws IOException {
        Path dir = tmp.resolve("fade" + crossfade);
        if (!Files.exists(dir)) RandomModel.write(config(crossfade == 0 ? null : (long) crossfade, "Vocos"), dir, DType.F32, 5);
        return FocalCodec.load(dir);
    }

    @BeforeAll
    static void tokens() {
        Random r = new Random(11);
        toks = new int[61];
        for (int i = 0; i < toks.length; i++) toks[i] = r.nextInt(2048);
    }

    @Test
    void onlyTheFirstSamplesOfEachBlockChange() throws IOException {
        try (FocalCodec plain = model(0); FocalCodec faded = model(FADE)) {
            float[] a = plain.toksToSig(toks), b = faded.toksToSig(toks);
            assertThat(b).hasSameSizeAs(a);
            int changed = 0;
            for (int i = 0; i < a.length; i++) {
                if (i % HOP >= FADE) assertThat(b[i]).as("sample %d (past the fade)", i).isEqualTo(a[i]);
                else if (Math.abs(b[i] - a[i]) > 1e-6f) changed++;
            }
            assertThat(changed).as("faded samples that differ").isGreaterThan(toks.length * FADE / 2);
            // the last faded sample is almost all the current frame's
            for (int t = 0; t < toks.length; t++) {
                int i = t * HOP + FADE - 1;
                assertThat(Math.abs(b[i] - a[i])).isLessThanOrEqualTo(Math.abs(a[i]) * 0.01f + 1e-3f);
            }
        }
    }

    @Test
    void streamingInAnyPushSizesGivesTheOfflineSamples() throws IOException {
        try (FocalCodec m = model(FADE)) {
            float[] offline = m.toksToSig(toks);
            for (long seed = 1; seed <= 3; seed++) {
                StreamingDecoder dec = new StreamingDecoder(m);
                Random r = new Random(seed);
                float[] out = new float[0];
                for (int off = 0; off < toks.length; ) {
                    int n = Math.min(toks.length - off, 1 + r.nextInt(9));
                    out = ArrayConcat.concat(out, dec.push(Arrays.copyOfRange(toks, off, off + n)));
                    off += n;
                }
                out = ArrayConcat.concat(out, dec.flush());
                assertThat(out).hasSameSizeAs(offline);
                assertThat(Golden.relError(out, offline)).as("seed %d", seed).isLessThan(1e-5);
            }
        }
    }

    @Test
    void samplesBeforeAChangedTokenDoNotMove() throws IOException {
        try (FocalCodec m = model(FADE)) {
            float[] base = m.toksToSig(toks);
            int[] changed = toks.clone();
            int k = 33;
            for (int i = k; i < changed.length; i++) changed[i] = (changed[i] + 1 + i) % 2048;
            float[] out = m.toksToSig(changed);
            int safe = (k / m.chunkTokens()) * m.chunkTokens() * HOP;
            assertThat(Arrays.copyOf(out, safe)).containsExactly(Arrays.copyOf(base, safe));
            assertThat(out).isNotEqualTo(base);
        }
    }

    @Test
    void badCrossfadesAreRejectedByName() throws IOException {
        assertThatThrownBy(() -> FocalCodecConfig.parse(config(321L, "Vocos"), "cfg.json"))
                .hasMessageContaining("crossfade_length").hasMessageContaining("cfg.json");
        assertThatThrownBy(() -> FocalCodecConfig.parse(config(-1L, "Vocos"), "cfg.json"))
                .hasMessageContaining("crossfade_length");
        assertThatThrownBy(() -> FocalCodecConfig.parse(config(16L, "WaveNeXt"), "cfg.json"))
                .hasMessageContaining("crossfade_length").hasMessageContaining("causal Vocos");
    }
}
