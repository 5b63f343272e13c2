package io.parla.focalcodec.focalnet;

import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Conv1d;
import io.parla.core.nn.StateDict;

/** {@code layers.i.downscale}: Conv1d with kernel = stride = f, then Snake. */
final class DownScale {
    final int in, out, factor;
    private final Conv1d conv;
    private final float[] alpha;

    DownScale(StateDict sd, String prefix, int in, int out, int factor) {
        this.in = in;
        this.out = out;
        this.factor = factor;
        this.conv = new Conv1d(sd, prefix + ".downscale", in, out, factor, factor, true);
        this.alpha = sd.vector(prefix + ".activation.alpha", StateDict.Kind.SCALE, out, 1);
    }

    CausalContext newContext() {
        return new CausalContext(Math.max(1, factor - 1), in, CausalContext.FirstPad.REPLICATE);
    }

    float[] forward(float[] x, int frames, CausalContext ctx, int[] outFrames) {
        float[] padded;
        int n;
        if (ctx != null) {
            if (factor > 1) {
                padded = ctx.padAndAdvance(x, frames);
                n = frames + factor - 1;
            } else {
                ctx.padAndAdvance(x, frames); // the reference carries a 1-frame dummy context for f = 1
                padded = x;
                n = frames;
            }
        } else {
            int rem = Math.floorMod(frames - factor, factor);
            n = frames + rem;
            padded = rem > 0 ? java.util.Arrays.copyOf(x, n * in) : x;
        }
        int t = conv.outputFrames(n);
        float[] y = conv.apply(padded, n);
        Activations.snake(y, t, out, alpha);
        outFrames[0] = t;
        return y;
    }
}
