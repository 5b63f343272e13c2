package io.parla.train.model;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * Deepens a trained encoder without changing what it computes: the encoder's transformer layers are pre-norm
 * residual blocks (x + attention(norm(x)), then + feed-forward(norm(x))), so a new layer whose two output
 * projections are zero is the identity. Training then gives the new layers weight from the old model's function
 * instead of from scratch.
 */
public final class EncoderGrowth {
    private EncoderGrowth() {}

    /**
     * Zeroes the attention and feed-forward output projections of encoder layers {@code [from, to)} in {@code params}.
     *
     * @throws IllegalArgumentException when there is no layer to add or a layer's tensors are missing
     */
    public static void identityLayers(Map<String, NDArray> params, int from, int to) {
        if (to <= from)
            throw new IllegalArgumentException("encoder growth needs more layers than the initial model's " + from + ", got " + to);
        for (int l = from; l < to; l++) {
            String pre = "encoder.encoder.layers." + l;
            for (String n : new String[] {".attention.out_proj.weight", ".attention.out_proj.bias",
                    ".feed_forward.out_proj.weight", ".feed_forward.out_proj.bias"}) {
                NDArray p = params.get(pre + n);
                if (p == null) throw new IllegalArgumentException("encoder growth: the model has no " + pre + n);
                p.set(new float[Math.toIntExact(p.size())]);
            }
        }
    }
}
