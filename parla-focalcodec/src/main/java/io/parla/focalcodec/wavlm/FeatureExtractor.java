package io.parla.focalcodec.wavlm;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/** {@code encoder.feature_extractor}: seven strided ConvBlocks turning 16 kHz samples into 50 Hz frames. */
final class FeatureExtractor {
    final ConvBlock[] layers;

    FeatureExtractor(StateDict sd, String prefix, FocalCodecConfig.WavLMConfig c) {
        int n = c.hiddenDims().length;
        layers = new ConvBlock[n];
        int in = 1;
        for (int i = 0; i < n; i++) {
            layers[i] = new ConvBlock(sd, prefix + ".layers." + i, in, c.hiddenDims()[i], c.kernelSizes()[i], c.strides()[i]);
            in = c.hiddenDims()[i];
        }
    }

    CausalContext[] newContexts() {
        CausalContext[] ctx = new CausalContext[layers.length];
        for (int i = 0; i < layers.length; i++) ctx[i] = layers[i].newContext();
        return ctx;
    }

    /** @param sig {@code [N]} samples; returns {@code [T, hidden]}, T in {@code frames[0]} */
    float[] forward(float[] sig, int samples, CausalContext[] ctx, int[] frames, Debug debug) {
        float[] x = sig;
        int t = samples;
        int[] tf = new int[1];
        for (int i = 0; i < layers.length; i++) {
            x = layers[i].forward(x, t, ctx == null ? null : ctx[i], tf);
            t = tf[0];
            debug.put("encoder.feature_extractor.layers." + i, x, t);
        }
        frames[0] = t;
        return x;
    }
}
