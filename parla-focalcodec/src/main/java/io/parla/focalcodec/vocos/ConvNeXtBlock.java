package io.parla.focalcodec.vocos;

import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.DepthwiseConv1d;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;

/** {@code decoder.backbone.layers.n}: dwconv -> LayerNorm -> pwconv1 -> GELU -> pwconv2 -> x gamma, residual. */
final class ConvNeXtBlock {
    private final int dim;
    private final DepthwiseConv1d dwconv;
    private final LayerNorm norm;
    private final Linear pwconv1, pwconv2;
    private final float[] gamma;

    ConvNeXtBlock(StateDict sd, String prefix, int dim, int ffnDim, int kernel) {
        this.dim = dim;
        this.dwconv = new DepthwiseConv1d(sd, prefix + ".dwconv", dim, kernel);
        this.norm = new LayerNorm(sd, prefix + ".norm", dim, 1e-6f);
        this.pwconv1 = new Linear(sd, prefix + ".pwconv1", dim, ffnDim, true);
        this.pwconv2 = new Linear(sd, prefix + ".pwconv2", ffnDim, dim, true);
        this.gamma = sd.vector(prefix + ".gamma", StateDict.Kind.SCALE, dim);
    }

    int kernel() {
        return dwconv.kernel;
    }

    float[] forward(float[] x, int frames, CausalContext ctx) {
        float[] y = dwconv.apply(Padding.pad(x, frames, dim, dwconv.kernel, ctx), frames + dwconv.kernel - 1);
        norm.apply(y, frames, y);
        float[] h = pwconv1.forward(y, frames);
        Activations.gelu(h);
        float[] z = pwconv2.forward(h, frames);
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < dim; c++) z[t * dim + c] = x[t * dim + c] + z[t * dim + c] * gamma[c];
        return z;
    }
}
