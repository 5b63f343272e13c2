package io.parla.focalcodec.focalnet;

import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.DepthwiseConv1d;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;

/**
 * {@code focal_block.modulation}: a query modulated by gated hierarchical context. Level l convolves the
 * previous level's context (depthwise, kernel {@code focal_factor * l + focal_window}); the global context
 * is the time-mean (non-causal) or one more causal depthwise conv with the window as kernel (causal).
 */
final class FocalModulation {
    private final int dim, levels;
    private final boolean causal;
    private final Linear inProj, contextProj, outProj;
    private final DepthwiseConv1d[] convs; // levels (+ global when causal)

    FocalModulation(StateDict sd, String prefix, int dim, int focalWindow, int focalLevel, int focalFactor,
                    boolean causal, int windowSize) {
        this.dim = dim;
        this.levels = focalLevel;
        this.causal = causal;
        this.inProj = new Linear(sd, prefix + ".in_proj", dim, 2 * dim + focalLevel + 1, true);
        this.convs = new DepthwiseConv1d[focalLevel + (causal ? 1 : 0)];
        for (int l = 0; l < focalLevel; l++)
            convs[l] = new DepthwiseConv1d(sd, prefix + ".layers." + l + ".0", dim, focalFactor * l + focalWindow);
        if (causal) convs[focalLevel] = new DepthwiseConv1d(sd, prefix + ".layers." + focalLevel + ".0", dim, windowSize);
        this.contextProj = Linear.pointwiseConv(sd, prefix + ".context_proj", dim, dim);
        this.outProj = new Linear(sd, prefix + ".out_proj", dim, dim, true);
    }

    CausalContext[] newContexts() {
        CausalContext[] c = new CausalContext[convs.length];
        for (int l = 0; l < convs.length; l++) c[l] = new CausalContext(convs[l].kernel - 1, dim, CausalContext.FirstPad.REPLICATE);
        return c;
    }

    float[] forward(float[] x, int frames, CausalContext[] ctx) {
        int width = 2 * dim + levels + 1;
        float[] proj = inProj.forward(x, frames);
        float[] c = new float[frames * dim];
        for (int t = 0; t < frames; t++) System.arraycopy(proj, t * width + dim, c, t * dim, dim);
        float[] all = new float[frames * dim];
        for (int l = 0; l < levels; l++) {
            c = convolve(l, c, frames, ctx);
            Activations.gelu(c);
            accumulate(all, c, proj, frames, width, 2 * dim + l, false);
        }
        if (causal) {
            c = convolve(levels, c, frames, ctx);
            Activations.gelu(c);
            accumulate(all, c, proj, frames, width, 2 * dim + levels, false);
        } else {
            float[] g = new float[dim];
            for (int t = 0; t < frames; t++) for (int ch = 0; ch < dim; ch++) g[ch] += c[t * dim + ch];
            for (int ch = 0; ch < dim; ch++) g[ch] = Activations.gelu(g[ch] / frames);
            accumulate(all, g, proj, frames, width, 2 * dim + levels, true);
        }
        float[] mod = contextProj.forward(all, frames);
        for (int t = 0; t < frames; t++)
            for (int ch = 0; ch < dim; ch++) mod[t * dim + ch] *= proj[t * width + ch];
        return outProj.forward(mod, frames);
    }

    private float[] convolve(int l, float[] x, int frames, CausalContext[] ctx) {
        DepthwiseConv1d conv = convs[l];
        int k = conv.kernel;
        if (causal) return conv.applyCausal(ctx[l], x, frames);
        int left = (k - 1) / 2, right = k - 1 - left; // PyTorch "same": the odd extra zero goes right
        float[] padded = new float[(frames + left + right) * dim];
        System.arraycopy(x, 0, padded, left * dim, frames * dim);
        return conv.apply(padded, frames + k - 1);
    }

    /** {@code all[t] += ctx[t] * gate[t]}, where ctx is one row for all t when {@code broadcast}. */
    private void accumulate(float[] all, float[] ctx, float[] proj, int frames, int width, int gateCol, boolean broadcast) {
        for (int t = 0; t < frames; t++) {
            float g = proj[t * width + gateCol];
            int r = broadcast ? 0 : t * dim;
            for (int ch = 0; ch < dim; ch++) all[t * dim + ch] += ctx[r + ch] * g;
        }
    }
}
