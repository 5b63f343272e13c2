package io.parla.focalcodec;

import java.util.Arrays;

/**
 * Live encoder session of a causal model. Push PCM at 16 kHz in blocks of any size; each call returns the
 * tokens whose 80 ms chunk became complete. {@link #flush()} zero-pads a partial last chunk, as the reference
 * demo does. State (conv contexts, KV caches, one partial chunk) is fixed-size: memory does not grow with the
 * length of the stream. A session is not thread-safe; many sessions may share one model.
 */
public final class StreamingEncoder {
    private final FocalCodec model;
    private final FocalCodec.EncoderState state;
    private final float[] pending;
    private int fill;
    private long samplesIn, tokensOut;

    public StreamingEncoder(FocalCodec model) {
        this.model = model;
        this.state = model.newEncoderState();
        this.pending = new float[model.chunkSamples()];
    }

    public int[] push(float[] pcm) {
        return push(pcm, 0, pcm.length);
    }

    /** @return tokens completed by this push (possibly none) */
    public int[] push(float[] pcm, int off, int len) {
        if (off < 0 || len < 0 || off + len > pcm.length) throw new IndexOutOfBoundsException("bad range " + off + "+" + len);
        int[] out = new int[0];
        int chunk = pending.length;
        while (len > 0) {
            int n = Math.min(len, chunk - fill);
            for (int i = 0; i < n; i++) {
                float v = pcm[off + i];
                if (!Float.isFinite(v)) throw new IllegalArgumentException("non-finite sample at input position " + (samplesIn + i));
                pending[fill + i] = v;
            }
            fill += n;
            off += n;
            len -= n;
            samplesIn += n;
            if (fill == chunk) {
                out = append(out, model.sigToToks(pending.clone(), state));
                fill = 0;
            }
        }
        tokensOut += out.length;
        return out;
    }

    /** Encodes a partial last chunk, zero-padded to a full chunk; returns its tokens (none if nothing is pending). */
    public int[] flush() {
        if (fill == 0) return new int[0];
        float[] c = new float[pending.length];
        System.arraycopy(pending, 0, c, 0, fill);
        fill = 0;
        int[] t = model.sigToToks(c, state);
        tokensOut += t.length;
        return t;
    }

    public void reset() {
        state.reset();
        fill = 0;
        samplesIn = 0;
        tokensOut = 0;
    }

    /** Samples waiting for their chunk to complete. */
    public int pendingSamples() {
        return fill;
    }

    public long samplesIn() { return samplesIn; }
    public long tokensOut() { return tokensOut; }
    public FocalCodec model() { return model; }

    static int[] append(int[] a, int[] b) {
        if (a.length == 0) return b;
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
