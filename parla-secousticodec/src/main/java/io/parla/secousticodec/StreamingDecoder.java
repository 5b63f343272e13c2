package io.parla.secousticodec;

import java.util.Objects;

/**
 * Streaming token decoder: push tokens in any count, get 22.05 kHz samples as soon as they are final. The
 * output is exactly that of the offline {@link SecoustiCodec#toksToSig} (same tokens, same paralinguistic
 * vector, same {@link Excitation}); samples once returned never change.
 *
 * <p>Tokens → mel is causal with no lookahead: the semantic connector and the decoder transformer keep a KV
 * cache and continue their RoPE positions, attending over the offline window of {@code context} frames (not the
 * reference's streaming {@code context - 1}, which would make streamed audio differ from a decoded file after
 * {@code context - 1} tokens); the causal SEANet decoder emits the {@link SecoustiCodec#framesPerToken} mel frames
 * of a token at once. The HiFT vocoder is not causal: a sample needs up to {@link #lookaheadFrames()} mel frames
 * beyond its own (19 frames, 220.6 ms, in the released layout), so the audio of token j is complete once token
 * {@code j + }{@link #lookaheadTokens()} has arrived (5 tokens for "21.5 Hz", 19 for "86 Hz"); see
 * {@link HiftStream} for how its state is carried.
 *
 * <p>The paralinguistic vector is fixed for the stream (it is side information sent once). Not thread-safe;
 * one instance per stream.
 */
public final class StreamingDecoder {
    private final SecoustiCodec codec;
    private final float[] paralinguistic;
    private final Transformer connector, decoderTransformer;
    private final Transformer.KvCache connectorCache, decoderCache;
    private final Seanet.DecoderStream seanet;
    private final HiftStream vocoder;
    private final int d;
    private long tokensIn, samplesOut;
    private boolean flushed;

    StreamingDecoder(SecoustiCodec codec, float[] paralinguistic, Excitation excitation) {
        this.codec = codec;
        Objects.requireNonNull(excitation, "excitation");
        Objects.requireNonNull(paralinguistic, "paralinguistic");
        d = codec.latentDim();
        if (paralinguistic.length != d)
            throw new IllegalArgumentException("paralinguistic vector has " + paralinguistic.length + " values, need " + d);
        for (float x : paralinguistic)
            if (!Float.isFinite(x)) throw new IllegalArgumentException("paralinguistic vector contains NaN or infinity");
        this.paralinguistic = paralinguistic.clone();
        connector = codec.connectorTransformer();
        decoderTransformer = codec.decoderTransformerModule();
        connectorCache = connector.newCache();
        decoderCache = decoderTransformer.newCache();
        seanet = codec.decoderNet().new DecoderStream();
        vocoder = new HiftStream(codec.vocoderModule(), excitation);
    }

    /**
     * Decodes the next tokens; returns the samples that became final (possibly none).
     *
     * @throws IllegalArgumentException for a token outside {@code [0, codebookSize)}; nothing of that push is
     *                                  consumed, so the stream can continue with corrected tokens
     */
    public float[] push(int[] tokens) {
        Objects.requireNonNull(tokens, "tokens");
        if (flushed) throw new IllegalStateException("stream already flushed");
        int size = codec.codebookSize();
        for (int i = 0; i < tokens.length; i++)
            if (tokens[i] < 0 || tokens[i] >= size)
                throw new IllegalArgumentException("token " + tokens[i] + " at stream position " + (tokensIn + i)
                        + " is outside [0, " + size + ")");
        return emit(vocoder.push(mel(tokens), false));
    }

    /** Ends the stream: returns the remaining samples (the last {@link #lookaheadFrames()} frames and more). */
    public float[] flush() {
        if (flushed) throw new IllegalStateException("stream already flushed");
        if (tokensIn == 0) throw new IllegalStateException("no tokens were pushed");
        flushed = true;
        return emit(vocoder.push(new float[0], true));
    }

    private float[] emit(float[] samples) {
        samplesOut += samples.length;
        return samples;
    }

    /** Mel frames {@code [n · framesPerToken, n_mels]} of the next n tokens. */
    float[] mel(int[] tokens) {
        int n = tokens.length;
        if (n == 0) return new float[0];
        Fsq fsq = codec.fsq();
        float[] x = fsq.projectOut(fsq.codes(tokens), n);
        for (int t = 0; t < n; t++)
            for (int c = 0; c < d; c++) x[t * d + c] += paralinguistic[c];
        int offset = Math.toIntExact(tokensIn);
        x = connector.forward(x, n, connectorCache, offset, connector.context());
        x = decoderTransformer.forward(x, n, decoderCache, offset, decoderTransformer.context());
        tokensIn += n;
        return seanet.push(x);
    }

    /** Tokens pushed so far. */
    public long tokensIn() { return tokensIn; }

    /** Samples returned so far. */
    public long samplesOut() { return samplesOut; }

    /** Mel frames beyond a sample's own frame that the vocoder needs before the sample is final (worst case). */
    public int lookaheadFrames() {
        return codec.vocoderLookaheadFrames();
    }

    /** Tokens after token j that must arrive before all of token j's samples are final: ceil(lookahead / hop). */
    public int lookaheadTokens() {
        int hop = codec.framesPerToken();
        return (lookaheadFrames() + hop - 1) / hop;
    }
}
