package io.parla.secousticodec;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingEncoderTest {
    /** Offline semantic mean with an explicit attention window. */
    private static float[] offlineMean(SecoustiCodec c, float[] wav, int window) {
        float[] z = c.featsToLats(c.sigToFeats(wav, 22050));
        int T = z.length / c.latentDim();
        return c.semanticMean(c.semanticTransformer().forward(z, T, null, 0, window), T);
    }

    private static int[] tokensOf(SecoustiCodec c, float[] mu) {
        int T = mu.length / c.latentDim();
        return c.fsq().tokens(c.fsq().bound(c.fsq().projectIn(mu, T)), T);
    }

    @ParameterizedTest(name = "86 Hz variant: {0}")
    @ValueSource(booleans = {false, true})
    void chunkedEqualsOfflineWithContextMinusOne(boolean is86) {
        SecoustiCodec c = is86 ? Golden.codec86() : Golden.codec();
        String tag = is86 ? "tiny86 " : "";
        float[] wav = Golden.readWav(Golden.DIR.resolve("input.wav"));
        int context = c.config().transformer().context();
        float[] ref = offlineMean(c, wav, context - 1);
        SplittableRandom rng = new SplittableRandom(5);
        for (int maxChunk : new int[] {300, 4000, wav.length}) {
            StreamingEncoder s = c.streamingEncoder();
            float[] mu = new float[0];
            int[] toks = new int[0];
            for (int pos = 0; pos < wav.length; ) {
                int n = Math.min(wav.length - pos, 1 + rng.nextInt(maxChunk));
                float[] m = s.semanticMean(Arrays.copyOfRange(wav, pos, pos + n), false);
                mu = cat(mu, m);
                toks = cat(toks, tokensOf(c, m));
                pos += n;
            }
            float[] m = s.semanticMean(new float[0], true);
            mu = cat(mu, m);
            toks = cat(toks, tokensOf(c, m));
            Golden.check(tag + "streaming mu (chunks <= " + maxChunk + ")", mu, ref, 1e-5);
            assertThat(toks).isEqualTo(tokensOf(c, ref));
        }
        // against the offline reference (context 16): identical while the window is not full
        int[] golden = Golden.ints((is86 ? Golden.expected86() : Golden.expected()).get("tokens"));
        StreamingEncoder s = c.streamingEncoder();
        int[] toks = cat(s.push(wav), s.flush());
        assertThat(s.tokensEmitted()).isEqualTo(golden.length);
        int same = 0;
        for (int i = 0; i < golden.length; i++) if (toks[i] == golden[i]) same++;
        System.out.printf("[secousticodec parity] %-34s %d/%d equal to offline (context %d) tokens%n",
                tag + "streaming tokens", same, golden.length, context);
        assertThat(Arrays.copyOf(toks, context - 1)).isEqualTo(Arrays.copyOf(golden, context - 1));
    }

    @org.junit.jupiter.api.Test
    void pushEmitsTokensAsSoonAsTheirInputIsComplete() {
        SecoustiCodec c = Golden.codec();
        StreamingEncoder s = c.streamingEncoder();
        // token 0 needs mel frames 0..3, mel frame 3 needs samples up to 256*3+639 = 1407
        assertThat(s.push(new float[1407])).isEmpty();
        assertThat(s.push(new float[1])).hasSize(1);
        s.flush();
        assertThatThrownBy(() -> s.push(new float[10])).hasMessageContaining("already flushed");
        assertThatThrownBy(() -> c.streamingEncoder().flush()).hasMessageContaining("shorter than");
    }

    private static float[] cat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int[] cat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
