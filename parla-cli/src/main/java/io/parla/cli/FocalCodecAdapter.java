package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
import io.parla.focalcodec.FocalCodec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@link SpeechCodec} over FocalCodec: causal models go through the live sessions, others offline. */
final class FocalCodecAdapter implements SpeechCodec {
    final FocalCodec model;

    FocalCodecAdapter(FocalCodec model) {
        this.model = model;
    }

    @Override public String family() { return "focalcodec"; }
    @Override public String modelName() { return model.modelName(); }
    @Override public byte[] modelHash() { return model.modelHash(); }
    @Override public int sampleRateInput() { return model.sampleRateInput(); }
    @Override public int sampleRateOutput() { return model.sampleRateOutput(); }
    @Override public int codebookBits() { return model.quantizer().bits(); }
    @Override public boolean streamable() { return model.causal(); }
    @Override public double latencyMs() { return model.config().latencyMs(); }
    @Override public Map<String, Long> parameterCounts() { return model.parameterCounts(); }

    @Override
    public long tokenRateNumerator() {
        return 16000 / gcd(16000, model.config().downsampleFactor());
    }

    @Override
    public long tokenRateDenominator() {
        return model.config().downsampleFactor() / gcd(16000, model.config().downsampleFactor());
    }

    @Override
    public Encoded encode(float[] signal) {
        return new Encoded(Codecs.encode(model, signal), null);
    }

    @Override
    public float[] decode(Encoded encoded, long inputSamples) {
        float[] out = Codecs.decode(model, encoded.tokens());
        if (inputSamples < 0) return out;
        return FocalCodec.fitLength(out, (int) (inputSamples * model.sampleRateOutput() / model.sampleRateInput()));
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        var c = model.config();
        m.put("family", "FocalCodec" + (c.causal() ? "-Stream" : "") + " (" + (c.encoder().causal() ? "causal" : "non-causal")
                + " encoder, " + c.decoder().name() + " decoder)");
        m.put("weights", model.weightsFile().file().getFileName() + " " + dtypes());
        return m;
    }

    private String dtypes() {
        StringBuilder b = new StringBuilder();
        io.parla.core.nn.StateDict.countByDtype(model.weightsFile().tensors())
                .forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format("%,d", v)));
        return "(" + b + ")";
    }

    @Override
    public void close() {
        model.close();
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
