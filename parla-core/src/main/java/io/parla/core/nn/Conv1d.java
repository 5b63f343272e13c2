package io.parla.core.nn;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.Weight;

import java.lang.foreign.MemorySegment;

/**
 * {@code torch.nn.Conv1d} with groups = 1 on {@code [T, C]} activations. The caller pads; with the weight
 * stored as {@code [out, k, in]}, output frame t reads the contiguous input rows {@code [t*s, t*s+k)}, so the
 * whole convolution is one strided matmul without an im2col copy.
 */
public final class Conv1d {
    public final int in, out, kernel, stride;
    private final Weight weight;
    private final MemorySegment bias;

    public Conv1d(StateDict sd, String prefix, int in, int out, int kernel, int stride, boolean bias) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.stride = stride;
        this.weight = sd.convWeight(prefix + ".weight", out, in, kernel);
        this.bias = bias ? sd.biasSegment(prefix + ".bias", out) : null;
    }

    public int outputFrames(int paddedFrames) {
        return paddedFrames < kernel ? 0 : (paddedFrames - kernel) / stride + 1;
    }

    /** Convolves already-padded input {@code [frames, in]}; returns {@code [outputFrames, out]}. */
    public float[] apply(float[] x, int frames) {
        int n = outputFrames(frames);
        float[] y = new float[n * out];
        if (n > 0) Kernels.matmul().linear(x, 0, stride * in, n, kernel * in, weight, bias, y, 0, out, out);
        return y;
    }
}
