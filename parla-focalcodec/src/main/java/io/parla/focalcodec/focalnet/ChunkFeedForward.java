package io.parla.focalcodec.focalnet;

import io.parla.core.nn.Activations;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;

/**
 * {@code decompressor.refiner}: groups of C = 1 + lookahead frames (from the call's first frame) are flattened
 * frame-major and refined by {@code out_proj(GELU(in_proj(v)))}, added back as a residual. A partial last
 * group is zero-padded. Unlike the reference, no all-zero extra group is computed when T is a multiple of C.
 */
final class ChunkFeedForward {
    private final int dim, chunk;
    private final Linear inProj, outProj;

    ChunkFeedForward(StateDict sd, String prefix, int dim, int chunk) {
        this.dim = dim;
        this.chunk = chunk;
        this.inProj = new Linear(sd, prefix + ".in_proj", chunk * dim, chunk * dim, true);
        this.outProj = new Linear(sd, prefix + ".out_proj", chunk * dim, chunk * dim, true);
    }

    float[] forward(float[] x, int frames) {
        int groups = (frames + chunk - 1) / chunk;
        float[] v = java.util.Arrays.copyOf(x, groups * chunk * dim);
        float[] h = inProj.forward(v, groups);
        Activations.gelu(h);
        float[] y = outProj.forward(h, groups);
        float[] out = new float[frames * dim];
        for (int i = 0; i < out.length; i++) out[i] = x[i] + y[i];
        return out;
    }
}
