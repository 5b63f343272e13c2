package io.parla.secousticodec;

import java.util.Arrays;

/**
 * Chunked, causal token encoder (Kyutai/Moshi-style streaming, as the official modules implement it):
 * feed waveform chunks of any size with {@link #push}, get every token whose inputs are complete, and call
 * {@link #flush} once at the end of the stream.
 *
 * <p>Latency: mel frame i needs samples up to {@code 256·i + 639}; token j needs mel frames up to
 * {@code hop·j + hop - 1} (hop = 4 for "21.5 Hz", 1 for "86 Hz"). The SEANet convolutions carry their
 * unused input tail between chunks; the semantic transformer keeps a KV cache and continues RoPE positions.
 *
 * <p>Exactness: the official streaming attention sees only {@code context - 1} = 249 past-or-current frames
 * (its ring cache labels the oldest slot as a future position), while the offline mask allows 250. This
 * encoder reproduces the streaming behaviour: its tokens equal an offline run with context 249, and can
 * differ from the offline (context 250) tokens on utterances longer than 249 tokens. {@link #flush} pads
 * the end exactly as the offline path does (including the extra final token that zero padding may create),
 * so for shorter streams the result equals {@link SecoustiCodec#sigToToks}.
 *
 * <p>Not thread-safe; one instance per stream. Input must be mono at the model rate.
 */
public final class StreamingEncoder {
    private final SecoustiCodec codec;
    private final MelFrontEnd mel;
    private final MelFrontEnd.Scratch scratch;
    private final Seanet.EncoderStream seanet;
    private final Transformer transformer;
    private final Transformer.KvCache cache;
    private final int window, d, nMels;
    private float[] buf = new float[0];  // samples [bufStart, total)
    private long bufStart, total, nextFrame, tokens;
    private boolean finished;

    StreamingEncoder(SecoustiCodec codec) {
        this.codec = codec;
        mel = codec.melFrontEnd();
        scratch = mel.new Scratch();
        seanet = codec.encoderNet().new EncoderStream();
        transformer = codec.semanticTransformer();
        cache = transformer.newCache();
        window = transformer.context() - 1;  // the reference's streaming off-by-one (see class doc)
        d = codec.latentDim();
        nMels = codec.nMels();
    }

    /** Feeds mono samples at the model rate; returns the tokens that became complete (possibly none). */
    public int[] push(float[] samples) {
        return toTokens(semanticMean(samples, false));
    }

    /** Ends the stream: returns the remaining tokens. The encoder cannot be used afterwards. */
    public int[] flush() {
        return toTokens(semanticMean(new float[0], true));
    }

    /** Tokens emitted so far. */
    public long tokensEmitted() {
        return tokens;
    }

    private int[] toTokens(float[] mu) {
        int n = mu.length / d;
        if (n == 0) return new int[0];
        Fsq fsq = codec.fsq();
        return fsq.tokens(fsq.bound(fsq.projectIn(mu, n)), n);
    }

    /** The streaming pipeline up to the semantic mean μ {@code [n, latent]} of the new tokens. */
    float[] semanticMean(float[] samples, boolean end) {
        if (finished) throw new IllegalStateException("stream already flushed");
        for (float v : samples)
            if (!Float.isFinite(v)) throw new IllegalArgumentException("waveform contains NaN or infinity");
        float[] frames = melFrames(samples, end);
        float[] z = end ? concat(seanet.push(frames, frames.length / nMels), seanet.flush())
                : seanet.push(frames, frames.length / nMels);
        if (end) finished = true;
        int n = z.length / d;
        if (n == 0) return new float[0];
        float[] h = transformer.forward(z, n, cache, (int) tokens, window);
        tokens += n;
        return codec.semanticMean(h, n);
    }

    private float[] melFrames(float[] samples, boolean end) {
        int keep = (int) (total - bufStart);
        float[] nb = Arrays.copyOf(buf, keep + samples.length);
        System.arraycopy(samples, 0, nb, keep, samples.length);
        buf = nb;
        total += samples.length;
        long last;  // exclusive
        if (end) {
            if (total < mel.minSamples())
                throw new IllegalArgumentException("stream of " + total + " samples is shorter than the "
                        + mel.minSamples() + " the mel front end needs");
            last = mel.frames((int) Math.min(total, Integer.MAX_VALUE));
        } else {
            last = nextFrame;
            while (mel.needsUpTo(last) <= total) last++;
        }
        int n = (int) Math.max(0, last - nextFrame);
        float[] out = new float[n * nMels];
        for (int i = 0; i < n; i++)
            mel.frame(buf, bufStart, end ? total : Long.MAX_VALUE, nextFrame + i, scratch, out, i * nMels);
        nextFrame += n;
        long newStart = Math.max(0, nextFrame * codec.hopSamples() - mel.lookBehind());
        if (newStart > bufStart) {
            buf = Arrays.copyOfRange(buf, (int) (newStart - bufStart), buf.length);
            bufStart = newStart;
        }
        return out;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
