package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.ConvT;

import java.util.Arrays;

/**
 * A ConvTranspose1d (kernel k, stride u) whose input arrives in chunks, cropped like
 * {@code ConvTranspose1d(padding)} or a causal trim: of the full output ({@code (T-1)·u + k} rows for T inputs)
 * rows {@code [cropLeft, full - cropRight)} are returned. Output rows {@code m·u .. m·u+u-1} depend on input
 * rows {@code m-n+1 .. m} only ({@code n = ceil(k/u)}, see {@link SecoustiOps.ConvT}), so the last {@code n-1}
 * input rows are all the state; each input row completes u output rows at once. The push that ends the stream
 * computes the trailing rows from {@code n-1} zero rows, exactly as {@link SecoustiOps#convTranspose1d} pads.
 */
final class StreamingConvTranspose {
    private final ConvT c;
    private final int cropRight;
    private float[] prev;     // the last n-1 input rows (zeros before the stream starts)
    private long inputs;      // input rows received
    private long nextRow;     // full-output index of the next row to return
    private boolean ended;

    StreamingConvTranspose(ConvT c, int cropLeft, int cropRight) {
        if (cropRight > c.k() - c.stride())
            throw new IllegalArgumentException("right crop " + cropRight + " > k - stride: rows would be returned too early");
        this.c = c;
        this.cropRight = cropRight;
        prev = new float[(c.taps() - 1) * c.in()];
        nextRow = cropLeft;
    }

    /** Feeds {@code x [n, in]}; returns the newly complete output rows {@code [m, out]}. */
    float[] push(float[] x, boolean end) {
        if (ended) throw new IllegalStateException("transposed convolution stream already ended");
        ended = end;
        int in = c.in(), out = c.out(), u = c.stride(), keep = c.taps() - 1;
        int n = x.length / in, zeros = end ? keep : 0, groups = n + zeros;
        float[] buf = new float[(keep + groups) * in];
        System.arraycopy(prev, 0, buf, 0, keep * in);
        System.arraycopy(x, 0, buf, keep * in, n * in);
        long firstRow = inputs * u;
        float[] full = new float[groups * u * out];
        if (groups > 0) c.m().apply(buf, 0, in, groups, full, 0, u * out);
        prev = Arrays.copyOfRange(buf, n * in, (n + keep) * in);
        inputs += n;
        long limit = end ? (inputs - 1) * u + c.k() - cropRight : inputs * u;
        long from = Math.max(nextRow, firstRow);
        if (from != nextRow) throw new IllegalStateException("output row " + nextRow + " was skipped");
        if (limit <= from) return new float[0];
        nextRow = limit;
        return Arrays.copyOfRange(full, (int) (from - firstRow) * out, (int) (limit - firstRow) * out);
    }
}
