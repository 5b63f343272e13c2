package io.parla.cli;

import io.parla.core.bitstream.CodecFamily;
import io.parla.core.bitstream.ParlaHeader;
import io.parla.focalcodec.FocalCodec;
import io.parla.focalcodec.StreamingDecoder;
import io.parla.focalcodec.StreamingEncoder;

/** Whole-file encode/decode with the same code paths a live stream uses (causal models) or offline ones. */
final class Codecs {
    private Codecs() {}

    static ParlaHeader header(FocalCodec m, long tokens, long samples) {
        int factor = m.config().downsampleFactor();
        long g = gcd(16000, factor);
        return ParlaHeader.builder()
                .model(m.modelHash(), m.modelName())
                .codecFamily(m.causal() ? CodecFamily.FOCALCODEC_STREAM : CodecFamily.FOCALCODEC)
                .codebookBits(m.quantizer().bits())
                .tokenRate(16000 / g, factor / g)
                .sampleRates(m.sampleRateInput(), m.sampleRateOutput())
                .counts(tokens, samples)
                .build();
    }

    static int[] encode(FocalCodec m, float[] sig) {
        if (!m.causal()) return m.sigToToks(sig);
        StreamingEncoder enc = new StreamingEncoder(m);
        int[] a = enc.push(sig);
        int[] b = enc.flush();
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static float[] decode(FocalCodec m, int[] toks) {
        if (!m.causal()) return m.toksToSig(toks);
        StreamingDecoder dec = new StreamingDecoder(m);
        float[] a = dec.push(toks);
        float[] b = dec.flush();
        float[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
