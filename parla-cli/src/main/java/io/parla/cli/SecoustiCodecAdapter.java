package io.parla.cli;

import io.parla.core.bitstream.HeaderExtension;
import io.parla.core.codec.SpeechCodec;
import io.parla.secousticodec.Excitation;
import io.parla.secousticodec.SecoustiCodec;
import io.parla.secousticodec.SecoustiConfig;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@link SpeechCodec} over SecoustiCodec: FSQ tokens (3^8 codes, packed in 13 bits) plus the paralinguistic
 * embedding as side information, stored once per stream in the header as F16. {@link #encode} already rounds the
 * embedding to F16, so decoding a {@code .parla} file gives exactly what an in-memory encode/decode gives. The
 * HiFT vocoder's random excitation is seeded ({@link #DEFAULT_SEED} unless {@link #seed} is called), so a decode
 * is reproducible.
 */
final class SecoustiCodecAdapter implements SpeechCodec {
    /** Seed of the vocoder's excitation when none is given. */
    static final long DEFAULT_SEED = 0;
    /** How the embedding is stored in the bitstream header. */
    static final HeaderExtension.FloatFormat SIDE_INFO_FORMAT = HeaderExtension.FloatFormat.F16;

    final SecoustiCodec model;
    private long seed = DEFAULT_SEED;

    SecoustiCodecAdapter(SecoustiCodec model) {
        this.model = model;
    }

    /** Seed for the vocoder's random start phases and noise. */
    void seed(long seed) {
        this.seed = seed;
    }

    /** {@code m}, with the vocoder seed set if it is a SecoustiCodec and {@code seed} is not null. */
    static SpeechCodec seeded(SpeechCodec m, Long seed) {
        if (seed != null && m instanceof SecoustiCodecAdapter s) s.seed(seed);
        return m;
    }

    @Override public String family() { return SecoustiConfig.MODEL_FAMILY; }
    @Override public String modelName() { return model.modelName(); }
    @Override public byte[] modelHash() { return model.modelHash(); }
    @Override public int sampleRateInput() { return model.sampleRate(); }
    @Override public int sampleRateOutput() { return model.sampleRate(); }
    @Override public long codebookSize() { return model.codebookSize(); }
    @Override public int codebookBits() { return 32 - Integer.numberOfLeadingZeros(model.codebookSize() - 1); }
    @Override public Map<String, Long> parameterCounts() { return model.parameterCounts(); }

    /** Streaming encode and decode exist ({@code parla stream}) when the vocoder is loaded. */
    @Override public boolean streamable() { return model.hasVocoder(); }

    /** Worst-case algorithmic latency of streaming encode + decode ({@link SecoustiCodec#streamingLatencySamples}). */
    @Override
    public double latencyMs() {
        return model.hasVocoder() ? 1000.0 * model.streamingLatencySamples() / model.sampleRate() : Double.NaN;
    }

    /** {@code sample_rate / (hop · framesPerToken)}, reduced: 11025/512 for "21.5 Hz", 11025/128 for "86 Hz". */
    @Override
    public long tokenRateNumerator() {
        long den = (long) model.hopSamples() * model.framesPerToken();
        return model.sampleRate() / gcd(model.sampleRate(), den);
    }

    @Override
    public long tokenRateDenominator() {
        long den = (long) model.hopSamples() * model.framesPerToken();
        return den / gcd(model.sampleRate(), den);
    }

    /** The header extension block: 4 bytes of type and length, the format byte, the floats. */
    @Override
    public int sideInfoBytes() {
        return 4 + HeaderExtension.paralinguisticEmbedding(new float[model.latentDim()], SIDE_INFO_FORMAT).value().length;
    }

    @Override
    public Encoded encode(float[] signal) {
        SecoustiCodec.Encoding e = model.encode(signal, model.sampleRate());
        return new Encoded(e.tokens(), asStored(e.paralinguistic()));
    }

    /** The embedding as the bitstream header stores it (rounded to F16). */
    static float[] asStored(float[] paralinguistic) {
        float[] p = paralinguistic.clone();
        for (int i = 0; i < p.length; i++) p[i] = Float.float16ToFloat(Float.floatToFloat16(p[i]));
        return p;
    }

    /** Output length: {@code inputSamples} (same rate in and out) when known, else all decoded frames. */
    @Override
    public float[] decode(Encoded encoded, long inputSamples) {
        if (encoded.sideInfo() == null)
            throw new IllegalArgumentException("this stream has no paralinguistic embedding in its header; "
                    + "SecoustiCodec cannot decode tokens without it");
        float[] out = model.featsToSig(model.toksToFeats(encoded.tokens(), encoded.sideInfo()), Excitation.seeded(seed));
        return inputSamples < 0 ? out : Arrays.copyOf(out, Math.toIntExact(inputSamples));
    }

    @Override
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        SecoustiConfig c = model.config();
        m.put("family", String.format("SecoustiCodec %s Hz (causal SEANet + transformers, FSQ %d codes, %s)",
                InfoCommand.trim(tokenRate()), model.codebookSize(), model.hasVocoder() ? "HiFT vocoder" : "no vocoder"));
        m.put("latency", model.hasVocoder()
                ? String.format("%.1f ms worst case when streaming (parla stream; vocoder lookahead %d mel frames), "
                        + "the embedding is needed up front", latencyMs(),
                        model.vocoderLookaheadFrames())
                : "no vocoder: mel only, offline");
        m.put("side info", String.format("paralinguistic embedding, %d x %s, %d bytes once per stream (header)",
                c.latentDim(), SIDE_INFO_FORMAT, sideInfoBytes()));
        m.put("entropy", String.format("log2(%d) = %.2f bits/token -> %s bit/s", model.codebookSize(),
                Math.log(model.codebookSize()) / Math.log(2), InfoCommand.trim(tokenRate() * Math.log(model.codebookSize()) / Math.log(2))));
        m.put("vocoder", "seeded random excitation (seed " + seed + ", --seed on resynth/decode)");
        StringBuilder files = new StringBuilder();
        for (Path f : model.weightFiles()) files.append(files.isEmpty() ? "" : ", ").append(f.getFileName());
        m.put("weights", files.toString());
        return m;
    }

    @Override
    public void close() {
        // weights live in GC-managed off-heap memory
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
