package io.parla.focalcodec.wavlm;

import io.parla.core.nn.FeedForward;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.StateDict;

/** {@code encoder.encoder.layers.l}: pre-LayerNorm attention and feed-forward, each with a residual. */
final class TransformerLayer {
    private final LayerNorm attentionNorm, feedForwardNorm;
    final GatedRelPosAttention attention;
    private final FeedForward feedForward;
    private final int dim;

    TransformerLayer(StateDict sd, String prefix, int dim, int ffnDim, int heads, boolean causal, int window, int chunk) {
        this.dim = dim;
        this.attentionNorm = new LayerNorm(sd, prefix + ".attention_norm", dim, 1e-5f);
        this.attention = new GatedRelPosAttention(sd, prefix + ".attention", dim, heads, causal, window, chunk);
        this.feedForwardNorm = new LayerNorm(sd, prefix + ".feed_forward_norm", dim, 1e-5f);
        this.feedForward = new FeedForward(sd, prefix + ".feed_forward", dim, ffnDim);
    }

    float[] forward(float[] x, int frames, RelativePositionBias rel, KVCache cache) {
        float[] a = attention.forward(attentionNorm.apply(x, frames), frames, rel, cache);
        float[] y = new float[frames * dim];
        for (int i = 0; i < y.length; i++) y[i] = x[i] + a[i];
        float[] f = feedForward.forward(feedForwardNorm.apply(y, frames), frames);
        for (int i = 0; i < y.length; i++) y[i] += f[i];
        return y;
    }
}
