package io.parla.core.nn;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.Weight;

import java.lang.foreign.MemorySegment;

/**
 * Grouped {@code Conv1d} (WavLM's positional convolution: 1024 channels, 16 groups, kernel 128) on padded
 * {@code [T, C]} input. Each group gathers its receptive fields into a {@code [T, k * C/G]} block, then runs
 * one matmul against the group's {@code [C/G out, k, C/G in]} weights.
 */
public final class GroupedConv1d {
    public final int channels, groups, kernel;
    private final Weight[] weights; // per group [outG, k, inG]
    private final MemorySegment bias;

    public GroupedConv1d(StateDict sd, String prefix, int channels, int groups, int kernel) {
        this.channels = channels;
        this.groups = groups;
        this.kernel = kernel;
        this.weights = sd.groupedConvWeight(prefix + ".weight", channels, groups, kernel);
        this.bias = sd.biasSegment(prefix + ".bias", channels);
    }

    public float[] apply(float[] x, int frames) {
        int n = Math.max(0, frames - kernel + 1);
        int g = channels / groups;
        float[] y = new float[n * channels];
        float[] cols = new float[n * kernel * g];
        for (int grp = 0; grp < groups; grp++) {
            int c0 = grp * g;
            io.parla.core.kernels.Parallel.forRange(n, Math.max(1, 16384 / Math.max(1, kernel * g)), (t0, t1) -> {
                for (int t = t0; t < t1; t++)
                    for (int j = 0; j < kernel; j++)
                        System.arraycopy(x, (t + j) * channels + c0, cols, (t * kernel + j) * g, g);
            });
            Kernels.matmul().linear(cols, 0, kernel * g, n, kernel * g, weights[grp],
                    bias.asSlice((long) c0 * 4, (long) g * 4), y, c0, channels, g);
        }
        return y;
    }
}
