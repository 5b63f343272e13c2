package io.parla.focalcodec.focalnet;

import io.parla.core.nn.CausalContext;

/** Streaming state of a FocalEncoder/FocalDecoder: the causal contexts of each layer, in the reference's order. */
final class LayerContexts {
    final CausalContext[][] layers;

    LayerContexts(CausalContext[][] layers) {
        this.layers = layers;
    }

    void reset() {
        for (CausalContext[] l : layers) for (CausalContext c : l) c.reset();
    }
}
