package io.parla.cli;

import io.parla.core.bitstream.CodecFamily;
import io.parla.core.bitstream.HeaderExtension;
import io.parla.core.bitstream.ParlaHeader;
import io.parla.core.codec.SpeechCodec;
import io.parla.focalcodec.FocalCodec;
import io.parla.focalcodec.StreamingDecoder;
import io.parla.focalcodec.StreamingEncoder;

/** Whole-file encode/decode with the same code paths a live stream uses (causal models) or offline ones. */
final class Codecs {
    private Codecs() {}

    static ParlaHeader header(SpeechCodec m, long tokens, long samples, float[] sideInfo) {
        CodecFamily family = switch (m.family()) {
            case "secousticodec" -> CodecFamily.SECOUSTICODEC;
            default -> m.streamable() ? CodecFamily.FOCALCODEC_STREAM : CodecFamily.FOCALCODEC;
        };
        ParlaHeader.Builder b = ParlaHeader.builder()
                .model(m.modelHash(), m.modelName())
                .codecFamily(family)
                .codebookBits(m.codebookBits())
                .tokenRate(m.tokenRateNumerator(), m.tokenRateDenominator())
                .sampleRates(m.sampleRateInput(), m.sampleRateOutput())
                .counts(tokens, samples);
        if (sideInfo != null) b.paralinguisticEmbedding(sideInfo, HeaderExtension.FloatFormat.F16);
        return b.build();
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
}
