package io.parla.core.nn;

/**
 * The left context of one causal convolution: the last {@code size} input frames of the previous call.
 * Before the first call there is no history; the reference then pads either by replicating the first
 * frame of the call or with zeros, depending on the module.
 */
public final class CausalContext {
    public enum FirstPad { REPLICATE, ZEROS }

    private final int size, channels;
    private final FirstPad firstPad;
    private float[] frames; // [size, channels] once a call has been made

    public CausalContext(int size, int channels, FirstPad firstPad) {
        this.size = size;
        this.channels = channels;
        this.firstPad = firstPad;
    }

    public int size() { return size; }

    /** Returns {@code [context ; x]} ({@code size + T} frames) and keeps its last {@code size} frames for the next call. */
    public float[] padAndAdvance(float[] x, int frames) {
        int c = channels;
        float[] out = new float[(size + frames) * c];
        if (this.frames != null) {
            System.arraycopy(this.frames, 0, out, 0, size * c);
        } else if (firstPad == FirstPad.REPLICATE && frames > 0) {
            for (int t = 0; t < size; t++) System.arraycopy(x, 0, out, t * c, c);
        }
        System.arraycopy(x, 0, out, size * c, frames * c);
        if (frames > 0 || this.frames != null) {
            float[] next = new float[size * c];
            System.arraycopy(out, frames * c, next, 0, size * c);
            this.frames = next;
        }
        return out;
    }

    /** The cached frames ({@code [size, C]}), or null before the first call. */
    public float[] frames() {
        return frames == null ? null : frames.clone();
    }

    public void reset() {
        frames = null;
    }
}
