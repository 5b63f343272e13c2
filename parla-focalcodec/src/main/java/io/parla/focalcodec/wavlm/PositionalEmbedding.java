package io.parla.focalcodec.wavlm;

import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.GroupedConv1d;
import io.parla.core.nn.StateDict;

/**
 * {@code encoder.encoder.positional_embedding}: {@code GELU(grouped_conv(x))}, which the encoder adds to x. Non-causal: k/2 zeros each
 * side and the extra last frame dropped (even kernel); causal: k-1 frames of left context.
 */
final class PositionalEmbedding {
    private final GroupedConv1d conv;
    private final int dim, kernel;

    PositionalEmbedding(StateDict sd, String prefix, int dim, int kernel, int groups) {
        this.dim = dim;
        this.kernel = kernel;
        this.conv = new GroupedConv1d(sd, prefix + ".conv", dim, groups, kernel);
    }

    CausalContext newContext() {
        return new CausalContext(kernel - 1, dim, CausalContext.FirstPad.REPLICATE);
    }

    float[] forward(float[] x, int frames, CausalContext ctx) {
        float[] padded;
        int n;
        if (ctx != null) {
            padded = ctx.padAndAdvance(x, frames);
            n = frames + kernel - 1;
        } else {
            int pad = kernel / 2;
            n = frames + 2 * pad;
            padded = new float[n * dim];
            System.arraycopy(x, 0, padded, pad * dim, frames * dim);
        }
        float[] pos = conv.apply(padded, n); // causal: exactly T frames; non-causal: T + 1 (even kernel), last dropped
        float[] y = pos.length == frames * dim ? pos : java.util.Arrays.copyOf(pos, frames * dim);
        Activations.gelu(y);
        return y;
    }
}
