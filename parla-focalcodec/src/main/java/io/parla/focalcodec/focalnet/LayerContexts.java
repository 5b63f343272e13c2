package io.parla.focalcodec.focalnet;

import io.parla.core.nn.CausalContext;

/**
 * Streaming state of a FocalEncoder or FocalDecoder: the causal contexts of each layer in the reference's order
 * (encoder: downscale, modulation levels, global; decoder: modulation levels, global, upscale).
 */
public final class LayerContexts {
    final CausalContext[][] layers;

    LayerContexts(CausalContext[][] layers) {
        this.layers = layers;
    }

    public void reset() {
        for (CausalContext[] l : layers) for (CausalContext c : l) c.reset();
    }
}
