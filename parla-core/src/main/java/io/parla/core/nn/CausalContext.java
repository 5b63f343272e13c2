package io.parla.core.nn;

/**
 * The left context of one causal convolution: the last {@code size} input frames of the previous call, kept
 * in a ring so that a long context (511 frames of 1024 channels for FocalCodec-Stream's global convolution)
 * is never shifted. Before the first call there is no history; the reference then pads either by
 * replicating the first frame of the call or with zeros, depending on the module.
 */
public final class CausalContext {
    public enum FirstPad { REPLICATE, ZEROS }

    private final int size, channels;
    private final FirstPad firstPad;
    private final float[] ring; // [size, channels]
    private int start;          // physical row of the oldest frame
    private boolean started;

    public CausalContext(int size, int channels, FirstPad firstPad) {
        this.size = size;
        this.channels = channels;
        this.firstPad = firstPad;
        this.ring = new float[size * channels];
    }

    public int size() { return size; }

    /** The ring buffer; logical row i starts at {@link #rowOffset(int)}. */
    float[] buffer() {
        return ring;
    }

    int rowOffset(int i) {
        int p = start + i;
        return (p >= size ? p - size : p) * channels;
    }

    /** Fills the history on the first call (replicated first frame of {@code x}, or zeros). */
    void begin(float[] x, int frames) {
        if (started || frames == 0) return;
        if (firstPad == FirstPad.REPLICATE)
            for (int t = 0; t < size; t++) System.arraycopy(x, 0, ring, t * channels, channels);
        started = true;
    }

    /** Appends the call's frames to the history, dropping the oldest. */
    void advance(float[] x, int frames) {
        if (size == 0) return;
        for (int t = Math.max(0, frames - size); t < frames; t++) {
            System.arraycopy(x, t * channels, ring, start * channels, channels);
            start = start + 1 == size ? 0 : start + 1;
        }
    }

    /** Returns {@code [context ; x]} ({@code size + T} frames) and keeps its last {@code size} frames for the next call. */
    public float[] padAndAdvance(float[] x, int frames) {
        int c = channels;
        begin(x, frames);
        float[] out = new float[(size + frames) * c];
        if (started) {
            int first = size - start;
            System.arraycopy(ring, start * c, out, 0, first * c);
            System.arraycopy(ring, 0, out, first * c, start * c);
        }
        System.arraycopy(x, 0, out, size * c, frames * c);
        advance(x, frames);
        return out;
    }

    /** The cached frames ({@code [size, C]}, oldest first), or null before the first call. */
    public float[] frames() {
        if (!started) return null;
        float[] out = new float[size * channels];
        for (int i = 0; i < size; i++) System.arraycopy(ring, rowOffset(i), out, i * channels, channels);
        return out;
    }

    public void reset() {
        started = false;
        start = 0;
        java.util.Arrays.fill(ring, 0f);
    }
}
