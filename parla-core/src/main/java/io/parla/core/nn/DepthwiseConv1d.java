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
        io.parla.core.kernels.Parallel.forRange(frames, 1, (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int yr = t * c;
                System.arraycopy(bias, 0, y, yr, c);
                for (int j = 0; j < kernel; j++) {
                    int idx = t + j;
                    float[] src = idx < size ? ring : x;
                    int xr = idx < size ? ctx.rowOffset(idx) : (idx - size) * c;
                    int wr = j * c;
                    for (int ch = 0; ch < c; ch++) y[yr + ch] += weight[wr + ch] * src[xr + ch];
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
        io.parla.core.kernels.Parallel.forRange(n, Math.max(1, 65536 / Math.max(1, kernel * c)), (t0, t1) -> {
            for (int t = t0; t < t1; t++) {
                int yr = t * c;
                System.arraycopy(bias, 0, y, yr, c);
                for (int j = 0; j < kernel; j++) {
                    int xr = (t + j) * c, wr = j * c;
                    for (int ch = 0; ch < c; ch++) y[yr + ch] += weight[wr + ch] * x[xr + ch];
                }
            }
        });
        return y;
    }
}
