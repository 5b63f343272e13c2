package io.parla.secousticodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Streaming token decoding on the tiny golden models ("21.5 Hz" layout and the 86 Hz-style variant; both use the
 * released HiFT layout, so the lookahead measured here is the released one).
 *
 * <p>Tolerance: none. The stream performs the same float operations on the same operands as the offline path
 * (matmul results do not depend on how many rows a call has, running sums are carried, noise is drawn by absolute
 * position), so the comparisons are bit-exact; any difference means the two paths have diverged.
 */
class StreamingDecoderTest {
    private static SecoustiCodec codec(boolean is86) {
        return is86 ? Golden.codec86WithVocoder() : Golden.codec();
    }

    private static int[] goldenTokens(boolean is86) {
        return Golden.ints((is86 ? Golden.expected86() : Golden.expected()).get("tokens"));
    }

    private static float[] goldenEmbedding(boolean is86) {
        return (is86 ? Golden.expected86() : Golden.expected()).get("paralinguistic_embed");
    }

    private static float[] offline(SecoustiCodec c, int[] toks, float[] p, long seed) {
        return c.featsToSig(c.toksToFeats(toks, p), Excitation.seeded(seed));
    }

    /** Streams {@code toks} in pushes of {@code size} (0 = all at once); returns everything emitted. */
    private static float[] stream(SecoustiCodec c, int[] toks, float[] p, long seed, int size) {
        StreamingDecoder s = c.streamingDecoder(p, Excitation.seeded(seed));
        int step = size == 0 ? toks.length : size;
        float[] out = new float[0];
        for (int i = 0; i < toks.length; i += step)
            out = cat(out, s.push(Arrays.copyOfRange(toks, i, Math.min(toks.length, i + step))));
        out = cat(out, s.flush());
        assertThat(s.samplesOut()).isEqualTo(out.length);
        assertThat(s.tokensIn()).isEqualTo(toks.length);
        return out;
    }

    @ParameterizedTest(name = "86 Hz variant {0}, push {1} tokens (0 = all)")
    @CsvSource({"false,1", "false,3", "false,0", "true,1", "true,3", "true,0"})
    void streamingEqualsOfflineDecode(boolean is86, int pushSize) {
        SecoustiCodec c = codec(is86);
        int[] toks = goldenTokens(is86);
        float[] p = goldenEmbedding(is86);
        float[] ref = offline(c, toks, p, 3);
        float[] got = stream(c, toks, p, 3, pushSize);
        System.out.printf("[secousticodec stream] %s push %d: %d tokens -> %d samples, max|diff| vs offline = %.3e%n",
                is86 ? "86 Hz" : "21.5 Hz", pushSize, toks.length, got.length, Golden.maxAbsDiff(got, ref));
        assertThat(got).hasSize(toks.length * c.framesPerToken() * c.hopSamples());
        same("stream vs offline", got, ref);
    }

    @Test
    void randomPushSizesAndRecordedExcitationAlsoMatch() {
        SecoustiCodec c = Golden.codec();
        int[] toks = goldenTokens(false);
        float[] p = goldenEmbedding(false);
        var e = Golden.expected();
        Excitation ex = Excitation.recorded(e.get("hift_phase_vec"), e.get("hift_sine_noise"));
        float[] ref = c.featsToSig(c.toksToFeats(toks, p), ex);
        StreamingDecoder s = c.streamingDecoder(p, ex);
        SplittableRandom rng = new SplittableRandom(9);
        float[] out = new float[0];
        for (int i = 0; i < toks.length; ) {
            int n = Math.min(toks.length - i, rng.nextInt(8));  // includes empty pushes
            out = cat(out, s.push(Arrays.copyOfRange(toks, i, i + n)));
            i += n;
        }
        out = cat(out, s.flush());
        same("stream vs offline", out, ref);
    }

    @ParameterizedTest(name = "86 Hz variant {0}")
    @ValueSource(booleans = {false, true})
    void melPartIsCausalWithoutLookaheadAndEqualsOffline(boolean is86) {
        SecoustiCodec c = codec(is86);
        int[] toks = goldenTokens(is86);
        float[] p = goldenEmbedding(is86);
        StreamingDecoder s = c.streamingDecoder(p, Excitation.seeded(0));
        float[] mel = new float[0];
        for (int t : toks) {
            float[] m = s.mel(new int[] {t});
            assertThat(m).as("one token gives its mel frames at once").hasSize(c.framesPerToken() * c.nMels());
            mel = cat(mel, m);
        }
        same("streamed mel", mel, c.toksToFeats(toks, p));
        // the golden model's context (16) is shorter than the stream: the offline window is the one used
        assertThat(toks.length).isGreaterThan(c.config().transformer().context());
    }

    /**
     * The right receptive field of the vocoder, derived from the architecture by {@link HiftStream#lastFrameNeeded},
     * checked against the offline vocoder: changing every mel frame after k leaves the samples the formula says
     * depend only on frames up to k bit-identical (the bound is safe), while changing frame k + 1 alone changes
     * output within {@value #SLACK} samples of that boundary (the bound is tight). The slack exists because the
     * last contributions are exactly zero (periodic Hann windows start with a 0 tap) or far below float resolution
     * (the longest paths run through the outermost taps of a dozen convolutions); it is measured at 28-59 samples.
     * The stream emits exactly the samples the formula allows after each frame.
     */
    @Test
    void vocoderLookaheadIsExactAndTheStreamEmitsAsSoonAsPossible() {
        SecoustiCodec c = Golden.codec();
        HiftVocoder v = c.vocoderModule();
        assertThat(HiftStream.lookaheadFrames(v)).as("released HiFT layout").isEqualTo(19);
        int spf = v.samplesPerFrame();
        float[] mel = Golden.expected().get("mel_token").clone();  // [1, Tm, 80]: already time-major
        int frames = mel.length / 80;
        Excitation ex = Excitation.seeded(5);
        float[] ref = c.featsToSig(mel, ex);

        // emission schedule: frame by frame, the stream returns exactly the samples whose inputs are complete
        HiftStream st = new HiftStream(v, ex);
        float[] out = new float[0];
        long[] emittedAfter = new long[frames];
        for (int k = 0; k < frames; k++) {
            out = cat(out, st.push(Arrays.copyOfRange(mel, k * 80, (k + 1) * 80), false));
            emittedAfter[k] = out.length;
            long expect = 0;
            while (expect < (long) frames * spf && HiftStream.lastFrameNeeded(v, expect) <= k) expect++;
            assertThat(out.length).as("samples emitted after mel frame %d", k).isEqualTo(expect);
        }
        out = cat(out, st.push(new float[0], true));
        same("stream vs offline", out, ref);
        int k0 = 40;
        assertThat(emittedAfter[k0]).as("steady state: frames up to k - 19 complete")
                .isGreaterThanOrEqualTo((long) (k0 - 19 + 1) * spf).isLessThan((long) (k0 - 18 + 1) * spf);

        SplittableRandom rng = new SplittableRandom(17);
        for (int k : new int[] {25, 100, 200}) {
            int done = (int) emittedAfter[k];
            float[] later = mel.clone();
            for (int i = (k + 1) * 80; i < later.length; i++) later[i] += (float) rng.nextGaussian();
            float[] y = c.featsToSig(later, ex);
            same("samples final after frame " + k, Arrays.copyOf(y, done), Arrays.copyOf(ref, done));
            float[] next = mel.clone();
            for (int i = (k + 1) * 80; i < (k + 2) * 80; i++) next[i] += 3 * (float) rng.nextGaussian();
            assertThat(firstDifference(c.featsToSig(next, ex), ref)).as("first sample changed by frame %d", k + 1)
                    .isBetween(done, done + SLACK - 1);
        }
    }

    /**
     * Token-level causality with the documented lookahead: what the stream has returned after token t is final
     * (a decode of any continuation starts with it), it covers every token up to {@code t - lookaheadTokens}, and
     * token t + 1 does change the samples right after it (within the numerical slack explained above).
     */
    @ParameterizedTest(name = "86 Hz variant {0}")
    @ValueSource(booleans = {false, true})
    void emittedPrefixNeverChangesAndCoversTheLookahead(boolean is86) {
        SecoustiCodec c = codec(is86);
        int[] toks = goldenTokens(is86);
        float[] p = goldenEmbedding(is86);
        StreamingDecoder s = c.streamingDecoder(p, Excitation.seeded(1));
        int la = s.lookaheadTokens();
        assertThat(la).isEqualTo(is86 ? 19 : 5);
        int perToken = c.framesPerToken() * c.hopSamples();
        float[] ref = offline(c, toks, p, 1);
        SplittableRandom rng = new SplittableRandom(23);
        float[] out = new float[0];
        for (int t = 0; t < toks.length; t++) {
            out = cat(out, s.push(new int[] {toks[t]}));
            assertThat((long) out.length).as("after token %d", t).isGreaterThanOrEqualTo((long) Math.max(0, t + 1 - la) * perToken);
            if (t % (is86 ? 60 : 15) != 10 || t + 1 >= toks.length) continue;
            int[] other = toks.clone();
            for (int i = t + 1; i < other.length; i++) other[i] = rng.nextInt(c.codebookSize());
            float[] y = offline(c, other, p, 1);
            same("prefix after token " + t + ", continuation changed", out, Arrays.copyOf(y, out.length));
            same("prefix after token " + t, out, Arrays.copyOf(ref, out.length));
            int[] next = toks.clone();
            next[t + 1] = (toks[t + 1] + 1 + rng.nextInt(c.codebookSize() - 1)) % c.codebookSize();
            assertThat(firstDifference(offline(c, next, p, 1), ref)).as("first sample changed by token %d", t + 1)
                    .isBetween(out.length, out.length + SLACK - 1);
        }
    }

    @Test
    void endToEndLatencyOfBothReleasedRates() {
        // encoder: mel frame i needs samples up to 256 i + 639; vocoder: the last 48 samples of a frame need 19 more
        // frames, the others 18. 86 Hz: 256*19 + 639 - 208 = 5295; 21.5 Hz adds up to 3 frames of token grouping.
        assertThat(Golden.codec86WithVocoder().streamingLatencySamples()).isEqualTo(5295);
        assertThat(Golden.codec().streamingLatencySamples()).isEqualTo(5295 + 3 * 256);
    }

    @Test
    void badInputIsRefusedClearly() {
        SecoustiCodec c = Golden.codec();
        float[] p = goldenEmbedding(false);
        assertThatThrownBy(() -> c.streamingDecoder(new float[31], Excitation.seeded(0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("has 31 values, need 32");
        float[] nan = p.clone();
        nan[3] = Float.NaN;
        assertThatThrownBy(() -> c.streamingDecoder(nan, Excitation.seeded(0))).hasMessageContaining("NaN");
        assertThatThrownBy(() -> c.streamingDecoder(p, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> Golden.codec86().streamingDecoder(p, Excitation.seeded(0)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("without vocoder");

        int[] toks = goldenTokens(false);
        StreamingDecoder s = c.streamingDecoder(p, Excitation.seeded(4));
        assertThatThrownBy(s::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("no tokens");
        float[] out = s.push(Arrays.copyOf(toks, 20));
        assertThatThrownBy(() -> s.push(new int[] {toks[20], 6561}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("token 6561 at stream position 21 is outside [0, 6561)");
        assertThatThrownBy(() -> s.push(new int[] {-1})).hasMessageContaining("token -1 at stream position 20");
        // nothing of a refused push was consumed: the stream goes on as if it had not happened
        out = cat(out, s.push(Arrays.copyOfRange(toks, 20, toks.length)));
        out = cat(out, s.flush());
        same("stream after refused pushes", out, offline(c, toks, p, 4));
        assertThatThrownBy(() -> s.push(new int[] {1})).isInstanceOf(IllegalStateException.class).hasMessageContaining("flushed");
        assertThatThrownBy(s::flush).isInstanceOf(IllegalStateException.class).hasMessageContaining("flushed");
    }

    @Test
    void seededNoiseDependsOnPositionOnly() {
        Excitation ex = Excitation.seeded(42);
        int H = 3, L = 1000;
        float[] amp = new float[L];
        Arrays.fill(amp, 1f);
        float[] whole = ex.noise(H, 0, L, amp);
        float[] a = ex.noise(H, 0, 300, Arrays.copyOf(amp, 300)), b = ex.noise(H, 300, 700, Arrays.copyOf(amp, 700));
        for (int h = 0; h < H; h++) {
            assertThat(Arrays.copyOfRange(whole, h * L, h * L + 300)).isEqualTo(Arrays.copyOfRange(a, h * 300, h * 300 + 300));
            assertThat(Arrays.copyOfRange(whole, h * L + 300, h * L + L)).isEqualTo(Arrays.copyOfRange(b, h * 700, h * 700 + 700));
        }
        assertThat(ex.startPhases(H)).isEqualTo(ex.startPhases(H));
        assertThat(Excitation.seeded(43).noise(H, 0, L, amp)).isNotEqualTo(whole);
        double sum = 0, sq = 0;
        for (float x : whole) {
            sum += x;
            sq += x * x;
        }
        assertThat(sum / whole.length).isBetween(-0.1, 0.1);
        assertThat(sq / whole.length).isBetween(0.9, 1.1);
        // harmonics draw independent noise
        assertThat(Arrays.copyOfRange(whole, 0, L)).isNotEqualTo(Arrays.copyOfRange(whole, L, 2 * L));
        float[] rec = Excitation.recorded(new float[H], whole).noise(H, 250, 10, new float[10]);
        assertThat(Arrays.copyOfRange(rec, 10, 20)).isEqualTo(Arrays.copyOfRange(whole, L + 250, L + 260));
        assertThatThrownBy(() -> Excitation.recorded(new float[H], whole).noise(H, 995, 10, new float[10]))
                .hasMessageContaining("need samples 995..1004");
    }

    /** How far past the structural receptive field numerically visible influence may end (see above). */
    private static final int SLACK = 128;

    private static int firstDifference(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) if (Float.floatToIntBits(a[i]) != Float.floatToIntBits(b[i])) return i;
        return -1;
    }

    /** Bit-exact comparison that reports where and by how much, instead of dumping arrays. */
    private static void same(String what, float[] got, float[] ref) {
        assertThat(got.length).as(what + ": length").isEqualTo(ref.length);
        int first = -1;
        double max = 0;
        for (int i = 0; i < got.length; i++)
            if (Float.floatToIntBits(got[i]) != Float.floatToIntBits(ref[i])) {
                if (first < 0) first = i;
                max = Math.max(max, Math.abs((double) got[i] - ref[i]));
            }
        assertThat(first).as("%s: first differing index (max |diff| %.3e)", what, max).isEqualTo(-1);
    }

    private static float[] cat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
