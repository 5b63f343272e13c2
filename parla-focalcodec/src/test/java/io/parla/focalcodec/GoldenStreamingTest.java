package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The reference's chunk-by-chunk streaming loop of {@code tiny_causal_50hz_2k} ({@code stream.*} tensors). */
class GoldenStreamingTest {
    static final String CASE = "tiny_causal_50hz_2k";

    @Test
    void chunkedEncodeAndDecodeMatchReference() {
        try (FocalCodec model = FocalCodec.load(Golden.dir(CASE)); SafeTensors exp = Golden.expected(CASE)) {
            float[] sig = exp.get("input.sig").toFloatArray();
            int chunk = model.chunkSamples();
            assertThat(chunk).isEqualTo(1280);
            FocalCodec.EncoderState es = model.newEncoderState();
            int chunks = sig.length / chunk;
            float[] feats = new float[0], lats = new float[0];
            int[] toks = new int[0];
            for (int i = 0; i < chunks; i++) {
                float[] c = Arrays.copyOfRange(sig, i * chunk, (i + 1) * chunk);
                Sequence f = model.sigToFeats(c, es, Debug.NONE);
                Sequence l = model.featsToLats(f, es, Debug.NONE);
                feats = concat(feats, f.data());
                lats = concat(lats, l.data());
                toks = concat(toks, model.latsToToks(l));
                if (i == 0) assertThat(es.cachedFrames()).as("curr_pos after chunk 0").isEqualTo(
                        exp.get("stream.state_after_chunk0.encoder.0").getLong(0));
            }
            assertThat(es.cachedFrames()).as("curr_pos at the end").isEqualTo(exp.get("stream.state_final.encoder.0").getLong(0));
            assertThat(toks).containsExactly(Golden.ints(exp.get("stream.encode.toks")));
            assertThat(Golden.relError(feats, exp.get("stream.encode.feats").toFloatArray())).isLessThan(1e-4);
            assertThat(Golden.relError(lats, exp.get("stream.encode.lats").toFloatArray())).isLessThan(1e-4);

            FocalCodec.DecoderState ds = model.newDecoderState();
            float[] qfeats = new float[0], rec = new float[0];
            for (int i = 0; i < toks.length; i += 4) {
                int[] t = Arrays.copyOfRange(toks, i, Math.min(toks.length, i + 4));
                Sequence q = model.codesToQfeats(model.toksToCodes(t), ds, Debug.NONE);
                qfeats = concat(qfeats, q.data());
                rec = concat(rec, model.featsToSig(q, ds, Debug.NONE));
            }
            double eq = Golden.relError(qfeats, exp.get("stream.decode.qfeats").toFloatArray());
            double er = Golden.relError(rec, exp.get("stream.forward.rec_sig").toFloatArray());
            System.out.printf("streaming parity: feats %.2e lats %.2e qfeats %.2e rec_sig %.2e%n",
                    Golden.relError(feats, exp.get("stream.encode.feats").toFloatArray()),
                    Golden.relError(lats, exp.get("stream.encode.lats").toFloatArray()), eq, er);
            assertThat(eq).isLessThan(1e-4);
            assertThat(er).isLessThan(1e-4);
        }
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
