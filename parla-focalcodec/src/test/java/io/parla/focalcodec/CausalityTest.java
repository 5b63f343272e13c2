package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The causal model is causal: changing the input after sample n changes no token whose 80 ms chunk ended
 * before n, and (decoder side) changing tokens from frame k on changes no output sample before k * hop.
 */
class CausalityTest {
    static final String CASE = "tiny_causal_50hz_2k";

    @Test
    void tokensBeforeAChangeDoNotMove() {
        try (FocalCodec m = FocalCodec.load(Golden.dir(CASE)); SafeTensors exp = Golden.expected(CASE)) {
            float[] sig = exp.get("input.sig").toFloatArray();
            int[] base = m.sigToToks(sig);
            Random r = new Random(7);
            int chunk = m.chunkSamples(), hop = 320;
            for (int trial = 0; trial < 4; trial++) {
                int n = 1 + r.nextInt(sig.length - 1);
                float[] changed = sig.clone();
                for (int i = n; i < changed.length; i++) changed[i] = (float) (r.nextGaussian() * 0.3);
                int[] toks = m.sigToToks(changed);
                // frame t depends on samples up to the end of its chunk: (t / 4 + 1) * 1280
                int safe = (n / chunk) * (chunk / hop);
                assertThat(Arrays.copyOf(toks, safe)).as("tokens before frame %d (change at sample %d)", safe, n)
                        .containsExactly(Arrays.copyOf(base, safe));
                assertThat(toks).isNotEqualTo(base);
            }
        }
    }

    @Test
    void decodedSamplesBeforeAChangedTokenDoNotMove() {
        try (FocalCodec m = FocalCodec.load(Golden.dir(CASE)); SafeTensors exp = Golden.expected(CASE)) {
            int[] toks = Golden.ints(exp.get("offline.toks"));
            float[] base = m.toksToSig(toks);
            int hop = base.length / toks.length;
            Random r = new Random(3);
            for (int trial = 0; trial < 4; trial++) {
                int k = r.nextInt(toks.length);
                int[] changed = toks.clone();
                for (int i = k; i < changed.length; i++) changed[i] = r.nextInt(m.quantizer().codebookSize());
                float[] out = m.toksToSig(changed);
                // the refiner sees whole groups of 4 tokens: samples before k's group are fixed
                int safe = (k / m.chunkTokens()) * m.chunkTokens() * hop;
                assertThat(Arrays.copyOf(out, safe)).containsExactly(Arrays.copyOf(base, safe));
                assertThat(out).isNotEqualTo(base);
            }
        }
    }
}
