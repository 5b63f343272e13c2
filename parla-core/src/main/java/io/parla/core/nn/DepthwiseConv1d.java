package io.parla.core.nn;

/** Depthwise {@code Conv1d} (groups = channels, weight {@code [C, 1, k]}) on padded {@code [T, C]} input. */
public final class DepthwiseConv1d {
    public final int channels, kernel;
    private final float[] weight; // [k, C]
    private final float[] bias;

    public DepthwiseConv1d(StateDict sd, String prefix, int channels, int kernel) {
        this.channels = channels;
        this.kernel = kernel;
        this.weight = sd.depthwiseWeight(prefix + ".weight", channels, kernel);
        this.bias = sd.vector(prefix + ".bias", StateDict.Kind.BIAS, channels);
    }

    /**
     * Causal convolution of {@code frames} new frames over {@code [context ; x]} without materialising the
     * concatenation (the context may be hundreds of frames); advances the context.
     */
    public float[] applyCausal(CausalContext ctx, float[] x, int frames) {
        ctx.begin(x, frames);
        int c = channels, size = ctx.size();
        float[] ring = ctx.buffer();
        float[] y = new float[frames * c];
        // a streaming step has a few frames and a long kernel (FocalCodec-Stream's global convolution: 512 taps x
        // 1024 channels = 2 MB of weights): split the channels, so that each core reads its half of the weights
        // once for all the frames instead of once per frame
        io.parla.core.kernels.Parallel.forRange(c, CHANNEL_BLOCK, (c0, c1) -> {
            for (int t = 0; t < frames; t++) System.arraycopy(bias, c0, y, t * c + c0, c1 - c0);
            for (int j = 0; j < kernel; j++) {
                int wr = j * c;
                for (int t = 0; t < frames; t++) {
                    int idx = t + j;
                    float[] src = idx < size ? ring : x;
                    int xr = idx < size ? ctx.rowOffset(idx) : (idx - size) * c;
                    accumulate(y, t * c, weight, wr, src, xr, c0, c1);
                }
            }
        });
        ctx.advance(x, frames);
        return y;
    }

    /** {@code frames} padded input frames give {@code frames - k + 1} output frames. */
    public float[] apply(float[] x, int frames) {
        int n = Math.max(0, frames - kernel + 1);
        int c = channels;
        float[] y = new float[n * c];
        // blocks of frames x channels: one weight row then serves the whole block while it is in cache
        int frameBlock = 16;
        int blocks = (n + frameBlock - 1) / frameBlock, channelBlocks = (c + CHANNEL_BLOCK - 1) / CHANNEL_BLOCK;
        io.parla.core.kernels.Parallel.forRange(blocks * channelBlocks, 1, (b0, b1) -> {
            for (int b = b0; b < b1; b++) {
                int t0 = (b / channelBlocks) * frameBlock, t1 = Math.min(n, t0 + frameBlock);
                int c0 = (b % channelBlocks) * CHANNEL_BLOCK, c1 = Math.min(c, c0 + CHANNEL_BLOCK);
                for (int t = t0; t < t1; t++) System.arraycopy(bias, c0, y, t * c + c0, c1 - c0);
                for (int j = 0; j < kernel; j++)
                    for (int t = t0; t < t1; t++) accumulate(y, t * c, weight, j * c, x, (t + j) * c, c0, c1);
            }
        });
        return y;
    }

    /** Channels per work item: 256 floats of weights, input and output per row stay in L1 across a frame block. */
    private static final int CHANNEL_BLOCK = 256;

    /** y[yr + ch] += w[wr + ch] * x[xr + ch] for ch in [c0, c1): each output still sums its taps in order. */
    private static void accumulate(float[] y, int yr, float[] w, int wr, float[] x, int xr, int c0, int c1) {
        io.parla.core.kernels.Kernels.ops().mulAdd(w, wr + c0, x, xr + c0, y, yr + c0, c1 - c0);
    }
}
