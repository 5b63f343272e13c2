package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;
import io.parla.focalcodec.Debug;

/** {@code decoder}: quantised features {@code [T, C]} -> waveform of {@code T * hop} samples. */
public interface WaveformDecoder {
    /** Causal contexts of every convolution (empty use for non-causal decoders). */
    CausalContext[] newContexts();

    float[] forward(float[] feats, int frames, CausalContext[] ctx, Debug debug);
}
