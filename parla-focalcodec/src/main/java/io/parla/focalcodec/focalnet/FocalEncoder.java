package io.parla.focalcodec.focalnet;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code compressor}: {@code [T, 1024]} features -> {@code [T', D]} raw latents (before L2 normalisation),
 * through {@code layers.i} = downscale (T -> T / f_i) + focal block, then {@code out_proj}.
 */
public final class FocalEncoder {
    private final FocalCodecConfig.FocalConfig config;
    private final DownScale[] downscales;
    private final FocalBlock[] blocks;
    private final Linear outProj;



    public FocalEncoder(StateDict sd, FocalCodecConfig.FocalConfig c) {
        this.config = c;
        int n = c.hiddenDims().length;
        downscales = new DownScale[n];
        blocks = new FocalBlock[n];
        int in = c.inputDim();
        for (int i = 0; i < n; i++) {
            int h = c.hiddenDims()[i];
            String p = "compressor.layers." + i;
            downscales[i] = new DownScale(sd, p + ".downscale", in, h, c.factors()[i]);
            blocks[i] = new FocalBlock(sd, p + ".focal_block", h, c.focalWindow(), c.focalLevel(), c.focalFactor(),
                    c.causal(), c.windowSize());
            in = h;
        }
        outProj = new Linear(sd, "compressor.out_proj", in, c.outputDim(), true);
    }

    public LayerContexts newState() {
        CausalContext[][] layers = new CausalContext[blocks.length][];
        for (int i = 0; i < blocks.length; i++) {
            CausalContext[] mod = blocks[i].modulation.newContexts();
            CausalContext[] all = new CausalContext[mod.length + 1];
            all[0] = downscales[i].newContext();
            System.arraycopy(mod, 0, all, 1, mod.length);
            layers[i] = all;
        }
        return new LayerContexts(layers);
    }

    /** @return raw latents {@code [T', outputDim]}; T' in {@code frames[0]} */
    public float[] forward(float[] feats, int frames, LayerContexts state, int[] outFrames, Debug debug) {
        if (config.causal() && state == null) state = newState();
        float[] x = feats;
        int t = frames;
        int[] tf = new int[1];
        for (int i = 0; i < blocks.length; i++) {
            CausalContext[] ctx = config.causal() ? state.layers[i] : null;
            x = downscales[i].forward(x, t, ctx == null ? null : ctx[0], tf);
            t = tf[0];
            debug.put("compressor.layers." + i + ".downscale", x, t);
            x = blocks[i].forward(x, t, ctx == null ? null : java.util.Arrays.copyOfRange(ctx, 1, ctx.length), debug);
            debug.put("compressor.layers." + i, x, t);
        }
        float[] y = outProj.forward(x, t);
        debug.put("compressor.out_proj", y, t);
        outFrames[0] = t;
        return y;
    }
}
