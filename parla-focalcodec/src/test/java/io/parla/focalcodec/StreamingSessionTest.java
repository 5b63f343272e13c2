package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamingSessionTest {
    static FocalCodec model;
    static float[] sig;
    static int[] offlineToks;

    @BeforeAll
    static void load() {
        model = FocalCodec.load(Golden.dir("tiny_causal_50hz_2k"));
        try (SafeTensors exp = Golden.expected("tiny_causal_50hz_2k")) {
            sig = exp.get("input.sig").toFloatArray();
            offlineToks = Golden.ints(exp.get("offline.toks"));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static int[] encode(float[] x, long seed, int maxPush) {
        StreamingEncoder enc = new StreamingEncoder(model);
        Random r = new Random(seed);
        int[] toks = new int[0];
        for (int off = 0; off < x.length; ) {
            int n = Math.min(x.length - off, 1 + r.nextInt(maxPush));
            toks = StreamingEncoder.append(toks, enc.push(x, off, n));
            off += n;
        }
        return StreamingEncoder.append(toks, enc.flush());
    }

    @Test
    void streamingEqualsOfflineForWholeChunks() {
        assertThat(sig.length % 1280).isZero();
        assertThat(encode(sig, 1, 1280)).containsExactly(offlineToks);
        StreamingDecoder dec = new StreamingDecoder(model);
        float[] out = StreamingDecoder.concat(dec.push(offlineToks), dec.flush());
        float[] off = model.toksToSig(offlineToks);
        assertThat(Golden.relError(out, off)).isLessThan(1e-4);
    }

    @Test
    void tokensDoNotDependOnPushSizes() {
        int[] ref = encode(sig, 0, 1);
        for (long seed = 1; seed <= 4; seed++) {
            int max = new int[] {7, 333, 2000, 16000}[(int) seed - 1];
            assertThat(encode(sig, seed, max)).as("push sizes up to %d", max).containsExactly(ref);
        }
    }

    @Test
    void emitsTokensAsSoonAsTheirChunkIsComplete() {
        StreamingEncoder enc = new StreamingEncoder(model);
        assertThat(enc.push(sig, 0, 1279)).isEmpty();
        assertThat(enc.push(sig, 1279, 1)).hasSize(4);
        assertThat(enc.pendingSamples()).isZero();
        assertThat(enc.push(sig, 1280, 100)).isEmpty();
        assertThat(enc.flush()).hasSize(4);
    }

    @Test
    void decoderOutputForEarlierTokensNeverChanges() {
        StreamingDecoder a = new StreamingDecoder(model);
        float[] full = StreamingDecoder.concat(a.push(offlineToks), a.flush());
        Random r = new Random(5);
        StreamingDecoder b = new StreamingDecoder(model);
        float[] acc = new float[0];
        for (int i = 0; i < offlineToks.length; ) {
            int n = Math.min(offlineToks.length - i, r.nextInt(7));
            float[] got = b.push(Arrays.copyOfRange(offlineToks, i, i + n));
            acc = StreamingDecoder.concat(acc, got);
            i += n;
            assertThat(firstDifference(acc, full)).as("first differing sample after %d tokens", i).isEqualTo(-1);
        }
        acc = StreamingDecoder.concat(acc, b.flush());
        assertThat(acc.length).isEqualTo(full.length);
        assertThat(firstDifference(acc, full)).isEqualTo(-1);
    }

    /** Index of the first sample of {@code a} that differs from {@code b}, or -1. */
    static int firstDifference(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) if (i >= b.length || Float.compare(a[i], b[i]) != 0) return i;
        return -1;
    }

    @Test
    void resetStartsAFreshStream() {
        StreamingEncoder enc = new StreamingEncoder(model);
        int[] first = StreamingEncoder.append(enc.push(sig), enc.flush());
        enc.reset();
        int[] second = StreamingEncoder.append(enc.push(sig), enc.flush());
        assertThat(second).containsExactly(first);
    }

    @Test
    void badInputIsRejected() {
        StreamingDecoder dec = new StreamingDecoder(model);
        assertThatThrownBy(() -> dec.push(new int[] {1, 2048})).hasMessageContaining("token 2048 at stream position 1 is out of range for a 11-bit codebook");
        StreamingEncoder enc = new StreamingEncoder(model);
        assertThatThrownBy(() -> enc.push(new float[] {0f, Float.NaN})).hasMessageContaining("non-finite sample at input position 1");
    }

    @Test
    void manySessionsShareOneModelAcrossThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            Future<?>[] f = new Future<?>[4];
            for (int i = 0; i < 4; i++) {
                final long seed = 100 + i;
                f[i] = pool.submit(() -> assertThat(encode(sig, seed, 3000)).containsExactly(offlineToks));
            }
            for (Future<?> x : f) x.get();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void stateIsBoundedWhateverTheStreamLength() {
        StreamingEncoder enc = new StreamingEncoder(model);
        int window = model.config().encoder().windowSize() - model.config().encoder().chunkFrames();
        for (int rep = 0; rep < 3; rep++) enc.push(sig);
        assertThat(enc.pendingSamples()).isLessThan(1280);
        FocalCodec.EncoderState s = model.newEncoderState();
        for (int rep = 0; rep < 30; rep++) model.sigToToks(Arrays.copyOf(sig, 1280), s);
        assertThat(s.cachedFrames()).isEqualTo(window);
    }
}
