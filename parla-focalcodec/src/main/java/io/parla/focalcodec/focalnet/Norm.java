package io.parla.focalcodec.focalnet;

import io.parla.core.nn.Activations;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.StateDict;

/** The FocalBlock's norms: LayerNorm (non-causal models) or DynamicTanh (causal, per-frame, no statistics). */
interface Norm {
    float[] apply(float[] x, int frames);

    static Norm create(StateDict sd, String prefix, int dim, boolean causal) {
        if (!causal) {
            LayerNorm ln = new LayerNorm(sd, prefix, dim, 1e-5f);
            return ln::apply;
        }
        float alpha = sd.vector(prefix + ".alpha", StateDict.Kind.SCALE, 1)[0];
        return (x, frames) -> {
            float[] y = new float[frames * dim];
            Activations.dynamicTanh(x, alpha, y, y.length);
            return y;
        };
    }
}
