package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code decoder} of the non-causal models: Vocos backbone + iSTFT head, {@code [T, 1024]} features ->
 * {@code T * hop} samples at {@code 16000 * hop / 320} Hz.
 */
public final class Vocos implements WaveformDecoder {
    private final VocosBackbone backbone;
    private final ISTFTHead head;

    public Vocos(StateDict sd, FocalCodecConfig.DecoderConfig c) {
        this.backbone = new VocosBackbone(sd, "decoder.backbone", c, CausalContext.FirstPad.REPLICATE);
        this.head = new ISTFTHead(sd, "decoder.head", c.dim(), c.nFft(), c.hopLength(), c.causal(), c.crossfadeLength());
    }

    @Override
    public CausalContext[] newContexts() {
        CausalContext[] bb = backbone.newContexts();
        CausalContext carry = head.newContext();
        if (carry == null) return bb;
        CausalContext[] all = java.util.Arrays.copyOf(bb, bb.length + 1);
        all[bb.length] = carry;
        return all;
    }

    @Override
    public float[] forward(float[] feats, int frames, CausalContext[] ctx, Debug debug) {
        // the head's continuation, when there is one, rides after the backbone's contexts
        CausalContext carry = head.carries() && ctx != null ? ctx[ctx.length - 1] : null;
        return head.forward(backbone.forward(feats, frames, ctx, debug), frames, carry, debug);
    }
}
