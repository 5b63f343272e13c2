package io.parla.focalcodec.focalnet;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code decompressor}: {@code [T', D]} codes -> {@code [T, 1024]} quantised features, through {@code in_proj},
 * {@code layers.i} = focal block + upscale (T -> T * u_i), then the refiner (causal models with lookahead).
 */
public final class FocalDecoder {
    private final FocalCodecConfig.FocalConfig config;
    private final Linear inProj;
    private final FocalBlock[] blocks;
    private final UpScale[] upscales;
    private final ChunkFeedForward refiner;
    private final int outputDim;



    public FocalDecoder(StateDict sd, FocalCodecConfig.FocalConfig c) {
        this.config = c;
        int n = c.hiddenDims().length;
        int[] dims = new int[n + 1];
        System.arraycopy(c.hiddenDims(), 0, dims, 0, n);
        dims[n] = c.outputDim();
        this.outputDim = c.outputDim();
        inProj = new Linear(sd, "decompressor.in_proj", c.inputDim(), dims[0], true);
        blocks = new FocalBlock[n];
        upscales = new UpScale[n];
        for (int i = 0; i < n; i++) {
            String p = "decompressor.layers." + i;
            int window = i == n - 1 ? c.lastWindowSize() : c.windowSize();
            blocks[i] = new FocalBlock(sd, p + ".focal_block", dims[i], c.focalWindow(), c.focalLevel(), c.focalFactor(),
                    c.causal(), window);
            upscales[i] = new UpScale(sd, p + ".upscale", dims[i], dims[i + 1], c.factors()[i]);
        }
        refiner = c.causal() && c.lookaheadSize() > 0
                ? new ChunkFeedForward(sd, "decompressor.refiner", outputDim, 1 + c.lookaheadSize()) : null;
    }

    public LayerContexts newState() {
        CausalContext[][] layers = new CausalContext[blocks.length][];
        for (int i = 0; i < blocks.length; i++) {
            CausalContext[] mod = blocks[i].modulation.newContexts();
            CausalContext[] all = java.util.Arrays.copyOf(mod, mod.length + 1);
            all[mod.length] = upscales[i].newContext();
            layers[i] = all;
        }
        return new LayerContexts(layers);
    }

    /** Frames per refiner group; streaming decoders must call with multiples of it. */
    public int refinerChunk() {
        return refiner == null ? 1 : 1 + config.lookaheadSize();
    }

    public float[] forward(float[] codes, int frames, LayerContexts state, int[] outFrames, Debug debug) {
        if (config.causal() && state == null) state = newState();
        float[] x = inProj.forward(codes, frames);
        debug.put("decompressor.in_proj", x, frames);
        int t = frames;
        int[] tf = new int[1];
        for (int i = 0; i < blocks.length; i++) {
            CausalContext[] ctx = config.causal() ? state.layers[i] : null;
            x = blocks[i].forward(x, t, ctx == null ? null : java.util.Arrays.copyOf(ctx, ctx.length - 1), debug);
            x = upscales[i].forward(x, t, ctx == null ? null : ctx[ctx.length - 1], tf);
            t = tf[0];
            debug.put("decompressor.layers." + i, x, t);
        }
        if (refiner != null) {
            x = refiner.forward(x, t);
            debug.put("decompressor.refiner", x, t);
        }
        outFrames[0] = t;
        return x;
    }
}
