package io.parla.core.codec;

import java.util.Map;

/**
 * What the command line and the bitstream need from any codec family: whole-signal encode/decode, rates,
 * identity. Families (FocalCodec, SecoustiCodec) are adapted to it; their own APIs stay richer.
 */
public interface SpeechCodec extends AutoCloseable {
    /** Family name as written in {@code config.json}'s {@code model_family} ("focalcodec", "secousticodec"). */
    String family();

    String modelName();

    /** SHA-256 identity (config + weights), stored in bitstream headers. */
    byte[] modelHash();

    int sampleRateInput();

    int sampleRateOutput();

    int codebookBits();

    /** Tokens per second as a fraction, e.g. 50/1, 25/2, 11025/512. */
    long tokenRateNumerator();

    long tokenRateDenominator();

    default double tokenRate() {
        return (double) tokenRateNumerator() / tokenRateDenominator();
    }

    /** Payload bits per second of the token stream (side information excluded). */
    default double bitrate() {
        return tokenRate() * codebookBits();
    }

    /** Whether live streaming sessions exist for this model. */
    boolean streamable();

    /** Algorithmic latency of streaming in ms, or NaN. */
    double latencyMs();

    /** Encodes a whole signal at {@link #sampleRateInput()}; the same tokens a live session would give. */
    Encoded encode(float[] signal);

    /** Decodes to {@link #sampleRateOutput()}; {@code inputSamples} (or -1) sets the exact output length. */
    float[] decode(Encoded encoded, long inputSamples);

    /** Parameter count per top-level module, plus "total". */
    Map<String, Long> parameterCounts();

    /** Extra lines for {@code parla info} (label -> value). */
    Map<String, String> describe();

    @Override
    void close();

    /** Tokens plus per-stream side information (e.g. SecoustiCodec's paralinguistic embedding; null if none). */
    record Encoded(int[] tokens, float[] sideInfo) {}
}
