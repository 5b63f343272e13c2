package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;

/** "same" zero padding (non-causal) or causal left context, for odd or even kernels. */
final class Padding {
    private Padding() {}

    static float[] pad(float[] x, int frames, int channels, int kernel, CausalContext ctx) {
        if (ctx != null) return ctx.padAndAdvance(x, frames);
        int left = (kernel - 1) / 2, right = kernel - 1 - left;
        float[] out = new float[(frames + left + right) * channels];
        System.arraycopy(x, 0, out, left * channels, frames * channels);
        return out;
    }
}
