package io.parla.focalcodec.wavlm;

import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Conv1d;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.StateDict;

/**
 * {@code encoder.feature_extractor.layers.i}: Conv1d (no bias) -> LayerNorm over channels -> GELU.
 * Non-causal: no padding (input shorter than the kernel is right-padded with zeros up to it).
 * Causal: k-1 frames of left context, so {@code T' = ceil(T / stride)}.
 */
final class ConvBlock {
    final int in, out, kernel, stride;
    private final Conv1d conv;
    private final LayerNorm norm;

    ConvBlock(StateDict sd, String prefix, int in, int out, int kernel, int stride) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.conv = new Conv1d(sd, prefix + ".conv", in, out, kernel, stride, false);
        this.norm = new LayerNorm(sd, prefix + ".norm", out, 1e-5f);
    }

    CausalContext newContext() {
        return new CausalContext(kernel - 1, in, CausalContext.FirstPad.REPLICATE);
    }

    /** @param ctx causal left context, or null for the non-causal block */
    float[] forward(float[] x, int frames, CausalContext ctx, int[] outFrames) {
        float[] padded;
        int n;
        if (ctx != null) {
            padded = ctx.padAndAdvance(x, frames);
            n = frames + kernel - 1;
        } else if (frames < kernel) {
            padded = java.util.Arrays.copyOf(x, kernel * in);
            n = kernel;
        } else {
            padded = x;
            n = frames;
        }
        int t = conv.outputFrames(n);
        float[] y = conv.apply(padded, n);
        norm.apply(y, t, y);
        Activations.gelu(y);
        outFrames[0] = t;
        return y;
    }
}
