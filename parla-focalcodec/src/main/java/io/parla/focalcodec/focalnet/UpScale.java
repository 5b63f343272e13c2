package io.parla.focalcodec.focalnet;

import io.parla.core.kernels.Kernels;
import io.parla.core.nn.Activations;
import io.parla.core.nn.CausalContext;
import io.parla.core.nn.StateDict;

import java.lang.foreign.MemorySegment;

/** {@code layers.i.upscale}: Snake on the input, then ConvTranspose1d with kernel = stride = u (T -> T*u frames). */
final class UpScale {
    final int in, out, factor;
    private final io.parla.core.kernels.Weight weight; // [u * out, in]
    private final MemorySegment bias;   // [u * out], the bias repeated per output frame
    private final float[] alpha;

    UpScale(StateDict sd, String prefix, int in, int out, int factor) {
        this.in = in;
        this.out = out;
        this.factor = factor;
        this.alpha = sd.vector(prefix + ".activation.alpha", StateDict.Kind.SCALE, in, 1);
        this.weight = sd.convTransposeWeight(prefix + ".upscale.weight", in, out, factor);
        float[] b = sd.vector(prefix + ".upscale.bias", StateDict.Kind.BIAS, out);
        float[] rep = new float[factor * out];
        for (int j = 0; j < factor; j++) System.arraycopy(b, 0, rep, j * out, out);
        this.bias = sd.recording() ? MemorySegment.NULL : toSegment(sd, rep);
    }

    private static MemorySegment toSegment(StateDict sd, float[] v) {
        MemorySegment s = sd.arena().allocate((long) v.length * 4, 64);
        for (int i = 0; i < v.length; i++) s.setAtIndex(io.parla.core.tensor.Tensor.F32_LE, i, v[i]);
        return s;
    }

    CausalContext newContext() {
        return new CausalContext(Math.max(1, factor - 1), in, CausalContext.FirstPad.REPLICATE);
    }

    float[] forward(float[] x, int frames, CausalContext ctx, int[] outFrames) {
        float[] src = x;
        int n = frames;
        if (ctx != null) {
            float[] padded = ctx.padAndAdvance(x, frames);
            if (factor > 1) {
                src = padded;
                n = frames + factor - 1;
            }
        }
        float[] act = src.clone();
        Activations.snake(act, n, in, alpha);
        float[] y = new float[n * factor * out];
        Kernels.matmul().linear(act, 0, in, n, in, weight, bias, y, 0, factor * out, factor * out);
        int keep = frames * factor;
        outFrames[0] = keep;
        if (n * factor == keep) return y;
        return java.util.Arrays.copyOfRange(y, (n * factor - keep) * out, n * factor * out);
    }
}
