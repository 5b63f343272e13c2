package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Conv1d;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code decoder.backbone}, shared by Vocos and WaveNeXt: embedding conv -> input LayerNorm -> ConvNeXt blocks ->
 * output LayerNorm (eps 1e-6). Causal variants pad on the left: Vocos replicates the first frame on the first
 * call, WaveNeXt pads zeros.
 */
public final class VocosBackbone {
    private final int inputDim, dim, kernel;
    private final boolean causal;
    private final CausalContext.FirstPad firstPad;
    private final Conv1d embedding;
    private final LayerNorm inputNorm, outputNorm;
    private final ConvNeXtBlock[] layers;

    public VocosBackbone(StateDict sd, String prefix, FocalCodecConfig.DecoderConfig c, CausalContext.FirstPad firstPad) {
        this.inputDim = c.inputDim();
        this.dim = c.dim();
        this.kernel = c.kernelSize();
        this.causal = c.causal();
        this.firstPad = firstPad;
        this.embedding = new Conv1d(sd, prefix + ".embedding", inputDim, dim, kernel, 1, true);
        this.inputNorm = new LayerNorm(sd, prefix + ".input_norm", dim, 1e-6f);
        this.layers = new ConvNeXtBlock[c.numLayers()];
        for (int n = 0; n < layers.length; n++)
            layers[n] = new ConvNeXtBlock(sd, prefix + ".layers." + n, dim, c.ffnDim(), kernel);
        this.outputNorm = new LayerNorm(sd, prefix + ".output_norm", dim, 1e-6f);
    }

    /** Contexts: the embedding's, then one per ConvNeXt block. */
    public CausalContext[] newContexts() {
        CausalContext[] c = new CausalContext[layers.length + 1];
        c[0] = new CausalContext(kernel - 1, inputDim, firstPad);
        for (int n = 0; n < layers.length; n++) c[n + 1] = new CausalContext(layers[n].kernel() - 1, dim, firstPad);
        return c;
    }

    public float[] forward(float[] x, int frames, CausalContext[] ctx, Debug debug) {
        CausalContext[] c = causal ? ctx : null;
        float[] y = embedding.apply(Padding.pad(x, frames, inputDim, kernel, c == null ? null : c[0]), frames + kernel - 1);
        debug.put("decoder.backbone.embedding", y, frames);
        inputNorm.apply(y, frames, y);
        debug.put("decoder.backbone.input_norm", y, frames);
        for (int n = 0; n < layers.length; n++) {
            y = layers[n].forward(y, frames, c == null ? null : c[n + 1]);
            debug.put("decoder.backbone.layers." + n, y, frames);
        }
        outputNorm.apply(y, frames, y);
        debug.put("decoder.backbone", y, frames);
        return y;
    }

    public int dim() {
        return dim;
    }
}
