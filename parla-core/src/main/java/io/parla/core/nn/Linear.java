package io.parla.core.nn;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.Weight;

import java.lang.foreign.MemorySegment;

/** {@code torch.nn.Linear}: weight {@code [out, in]}, optional bias {@code [out]}. Input/output {@code [T, C]}. */
public final class Linear {
    public final int in, out;
    private final Weight weight;
    private final MemorySegment bias;

    public Linear(StateDict sd, String prefix, int in, int out, boolean bias) {
        this(in, out, sd.matrix(prefix + ".weight", out, in), bias ? sd.biasSegment(prefix + ".bias", out) : null);
    }

    private Linear(int in, int out, Weight weight, MemorySegment bias) {
        this.in = in;
        this.out = out;
        this.weight = weight;
        this.bias = bias;
    }

    /** A 1x1 {@code Conv1d} (weight {@code [out, in, 1]}, with bias) is the same operation. */
    public static Linear pointwiseConv(StateDict sd, String prefix, int in, int out) {
        return new Linear(in, out, sd.convWeight(prefix + ".weight", out, in, 1), sd.biasSegment(prefix + ".bias", out));
    }

    public float[] forward(float[] x, int frames) {
        float[] y = new float[frames * out];
        forward(x, 0, in, frames, y, 0, out);
        return y;
    }

    public void forward(float[] x, int xOff, int xStride, int frames, float[] y, int yOff, int yStride) {
        Kernels.matmul().linear(x, xOff, xStride, frames, in, weight, bias, y, yOff, yStride, out);
    }

    public long parameters() {
        return (long) in * out + (bias == null ? 0 : out);
    }
}
