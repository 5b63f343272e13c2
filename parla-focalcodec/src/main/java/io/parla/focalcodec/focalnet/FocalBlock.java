package io.parla.focalcodec.focalnet;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.FeedForward;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;

/** {@code focal_block}: pre-norm focal modulation and feed-forward (width 4C), each with a residual. */
final class FocalBlock {
    private final int dim;
    private final Norm modulationNorm, feedForwardNorm;
    final FocalModulation modulation;
    private final FeedForward feedForward;
    private final String path;

    FocalBlock(StateDict sd, String prefix, int dim, int focalWindow, int focalLevel, int focalFactor,
               boolean causal, int windowSize) {
        this.dim = dim;
        this.path = prefix;
        this.modulationNorm = Norm.create(sd, prefix + ".modulation_norm", dim, causal);
        this.modulation = new FocalModulation(sd, prefix + ".modulation", dim, focalWindow, focalLevel, focalFactor, causal, windowSize);
        this.feedForwardNorm = Norm.create(sd, prefix + ".feed_forward_norm", dim, causal);
        this.feedForward = new FeedForward(sd, prefix + ".feed_forward", dim, 4 * dim);
    }

    float[] forward(float[] x, int frames, CausalContext[] ctx, Debug debug) {
        float[] m = modulation.forward(modulationNorm.apply(x, frames), frames, ctx);
        debug.put(path + ".modulation", m, frames);
        float[] y = new float[frames * dim];
        for (int i = 0; i < y.length; i++) y[i] = x[i] + m[i];
        float[] f = feedForward.forward(feedForwardNorm.apply(y, frames), frames);
        for (int i = 0; i < y.length; i++) y[i] += f[i];
        debug.put(path, y, frames);
        return y;
    }
}
