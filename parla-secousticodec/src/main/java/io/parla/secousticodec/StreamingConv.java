package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.Conv;

/**
 * A Conv1d with fixed zero padding ({@code padLeft} rows before the signal, {@code padRight} after it) whose
 * input {@code [rows, in]} arrives in chunks. The left padding is prepended once; each push emits every output
 * row whose window is complete and keeps the unused input tail; the push that ends the stream appends the right
 * padding. The windows, and so the outputs, are exactly those of {@link SecoustiOps#conv1d} on the whole signal.
 * A symmetric ("same") convolution therefore lags its input by {@code padRight} rows.
 */
final class StreamingConv {
    private final Conv c;
    private final int stride, dil, padRight, kEff;
    private float[] pending;
    private int rows;  // rows in pending
    private boolean ended;

    StreamingConv(Conv c, int stride, int dil, int padLeft, int padRight) {
        this.c = c;
        this.stride = stride;
        this.dil = dil;
        this.padRight = padRight;
        kEff = (c.k() - 1) * dil + 1;
        rows = padLeft;
        pending = new float[padLeft * c.in()];
    }

    /** Feeds {@code x [n, in]}; returns the newly complete output rows {@code [m, out]} (m may be 0). */
    float[] push(float[] x, boolean end) {
        if (ended) throw new IllegalStateException("convolution stream already ended");
        ended = end;
        int in = c.in(), n = x.length / in, extra = end ? padRight : 0;
        float[] p = new float[(rows + n + extra) * in];
        System.arraycopy(pending, 0, p, 0, rows * in);
        System.arraycopy(x, 0, p, rows * in, n * in);
        rows += n + extra;
        if (rows < kEff) {
            pending = p;
            return new float[0];
        }
        int frames = (rows - kEff) / stride + 1;
        float[] y = SecoustiOps.conv1d(p, rows, c, stride, dil, 0, 0);
        int used = frames * stride;
        pending = java.util.Arrays.copyOfRange(p, used * in, rows * in);
        rows -= used;
        return y;
    }
}
