package io.parla.core.nn;

import io.parla.core.kernels.Kernels;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * Grouped {@code Conv1d} (WavLM's positional convolution: 1024 channels, 16 groups, kernel 128) on padded
 * {@code [T, C]} input. Each group gathers its receptive fields into a {@code [T, k * C/G]} block, then runs
 * one matmul against the group's {@code [C/G out, k, C/G in]} weights.
 */
public final class GroupedConv1d {
    public final int channels, groups, kernel;
    private final MemorySegment[] weights; // per group [outG, k, inG]
    private final MemorySegment bias;

    public GroupedConv1d(StateDict sd, String prefix, int channels, int groups, int kernel) {
        this.channels = channels;
        this.groups = groups;
        this.kernel = kernel;
        int g = channels / groups;
        MemorySegment w = sd.matrix(prefix + ".weight", channels, g, kernel);
        this.bias = sd.biasSegment(prefix + ".bias", channels);
        this.weights = new MemorySegment[groups];
        for (int grp = 0; grp < groups; grp++) {
            if (sd.recording()) {
                weights[grp] = MemorySegment.NULL;
                continue;
            }
            MemorySegment seg = sd.arena().allocate((long) g * kernel * g * 4, 64);
            for (int o = 0; o < g; o++)
                for (int i = 0; i < g; i++)
                    for (int j = 0; j < kernel; j++) {
                        long src = ((long) (grp * g + o) * g + i) * kernel + j;
                        seg.setAtIndex(Tensor.F32_LE, ((long) o * kernel + j) * g + i, w.getAtIndex(Tensor.F32_LE, src));
                    }
            weights[grp] = seg;
        }
    }

    public float[] apply(float[] x, int frames) {
        int n = Math.max(0, frames - kernel + 1);
        int g = channels / groups;
        float[] y = new float[n * channels];
        float[] cols = new float[n * kernel * g];
        for (int grp = 0; grp < groups; grp++) {
            int c0 = grp * g;
            for (int t = 0; t < n; t++)
                for (int j = 0; j < kernel; j++)
                    System.arraycopy(x, (t + j) * channels + c0, cols, (t * kernel + j) * g, g);
            Kernels.matmul().linear(cols, 0, kernel * g, n, kernel * g, weights[grp],
                    bias.asSlice((long) c0 * 4, (long) g * 4), y, c0, channels, g);
        }
        return y;
    }
}
