package io.parla.core.nn;

/** {@code torch.nn.LayerNorm} over the channel axis of {@code [T, C]}, affine, biased variance. */
public final class LayerNorm {
    private final float[] weight, bias;
    private final float eps;
    private final int dim;

    public LayerNorm(StateDict sd, String prefix, int dim, float eps) {
        this.dim = dim;
        this.eps = eps;
        this.weight = sd.vector(prefix + ".weight", StateDict.Kind.NORM_WEIGHT, dim);
        this.bias = sd.vector(prefix + ".bias", StateDict.Kind.NORM_BIAS, dim);
    }

    /** Normalises {@code frames} rows of {@code x} into {@code out} (may be the same array); rows split over the cores. */
    public void apply(float[] x, int frames, float[] out) {
        io.parla.core.kernels.Parallel.forRange(frames, Math.max(1, 32768 / Math.max(1, dim)), (t0, t1) -> rows(x, t0, t1, out));
    }

    private void rows(float[] x, int t0, int t1, float[] out) {
        for (int t = t0; t < t1; t++) {
            int r = t * dim;
            double mean = 0;
            for (int c = 0; c < dim; c++) mean += x[r + c];
            mean /= dim;
            double var = 0;
            for (int c = 0; c < dim; c++) {
                double d = x[r + c] - mean;
                var += d * d;
            }
            var /= dim;
            float inv = (float) (1.0 / Math.sqrt(var + eps));
            float m = (float) mean;
            for (int c = 0; c < dim; c++) out[r + c] = (x[r + c] - m) * inv * weight[c] + bias[c];
        }
    }

    public float[] apply(float[] x, int frames) {
        float[] y = new float[frames * dim];
        apply(x, frames, y);
        return y;
    }
}
