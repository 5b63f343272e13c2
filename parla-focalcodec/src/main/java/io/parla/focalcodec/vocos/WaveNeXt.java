package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code decoder} of the causal models: Vocos-style backbone with zero left padding, and a linear head that
 * emits {@code hop} samples per frame (no iSTFT, no overlap), clamped to [-1, 1]. With hop 480 at 50 Hz the
 * output is 24 kHz.
 */
public final class WaveNeXt implements WaveformDecoder {
    private final VocosBackbone backbone;
    private final Linear proj;
    private final int hop;

    public WaveNeXt(StateDict sd, FocalCodecConfig.DecoderConfig c) {
        this.backbone = new VocosBackbone(sd, "decoder.backbone", c, CausalContext.FirstPad.ZEROS);
        this.proj = new Linear(sd, "decoder.head.proj", c.dim(), c.hopLength(), true);
        this.hop = c.hopLength();
    }

    @Override
    public CausalContext[] newContexts() {
        return backbone.newContexts();
    }

    @Override
    public float[] forward(float[] feats, int frames, CausalContext[] ctx, Debug debug) {
        float[] y = proj.forward(backbone.forward(feats, frames, ctx, debug), frames);
        debug.put("decoder.head.proj", y, frames);
        for (int i = 0; i < y.length; i++) y[i] = Math.max(-1f, Math.min(1f, y[i]));
        return y;
    }
}
