package io.parla.focalcodec;

import java.util.Arrays;

/**
 * Live decoder session of a causal model. Push tokens in any count; audio comes out, at the model's output
 * rate, as soon as a refiner group of {@link FocalCodec#chunkTokens()} tokens is complete (4 tokens = 80 ms).
 * Samples once returned never change. {@link #flush()} decodes a partial last group. Fixed-size state.
 */
public final class StreamingDecoder {
    private final FocalCodec model;
    private final FocalCodec.DecoderState state;
    private final int[] pending;
    private int fill;
    private long tokensIn, samplesOut;

    public StreamingDecoder(FocalCodec model) {
        this.model = model;
        this.state = model.newDecoderState();
        this.pending = new int[model.chunkTokens()];
    }

    /** @throws IllegalArgumentException for a token outside the codebook (nothing of this push is consumed) */
    public float[] push(int[] toks) {
        int size = model.quantizer().codebookSize();
        for (int i = 0; i < toks.length; i++)
            if (toks[i] < 0 || toks[i] >= size)
                throw new IllegalArgumentException("token " + toks[i] + " at stream position " + (tokensIn + i)
                        + " is out of range for a " + model.quantizer().bits() + "-bit codebook");
        float[] out = new float[0];
        for (int t : toks) {
            pending[fill++] = t;
            tokensIn++;
            if (fill == pending.length) {
                out = concat(out, model.toksToSig(pending.clone(), state));
                fill = 0;
            }
        }
        samplesOut += out.length;
        return out;
    }

    public float[] flush() {
        if (fill == 0) return new float[0];
        float[] out = model.toksToSig(Arrays.copyOf(pending, fill), state);
        fill = 0;
        samplesOut += out.length;
        return out;
    }

    public void reset() {
        state.reset();
        fill = 0;
        tokensIn = 0;
        samplesOut = 0;
    }

    public int pendingTokens() { return fill; }
    public long tokensIn() { return tokensIn; }
    public long samplesOut() { return samplesOut; }

    static float[] concat(float[] a, float[] b) {
        if (a.length == 0) return b;
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
