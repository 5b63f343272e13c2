package io.parla.core.nn;

import io.parla.core.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The depthwise convolution against a plain double-precision loop, and its streaming form: chunks of any size
 * over a causal context give the offline result on the replicate-padded signal bit for bit.
 */
class DepthwiseConv1dTest {

    @ParameterizedTest(name = "{0} channels, kernel {1}, {2} frames")
    @CsvSource({"300, 7, 45", "1024, 40, 70", "5, 3, 9", "260, 1, 17"})
    void offlineMatchesDirectSumAndStreamingMatchesOfflineBitwise(int channels, int kernel, int frames) {
        Random rnd = new Random(channels * 31L + kernel);
        float[] w = new float[channels * kernel], b = new float[channels], x = new float[frames * channels];
        for (int i = 0; i < w.length; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        StateDict sd = StateDict.of(Map.of(
                "conv.weight", Tensor.ofFloats("conv.weight", w, channels, 1, kernel),
                "conv.bias", Tensor.ofFloats("conv.bias", b, channels)), Arena.ofAuto());
        DepthwiseConv1d conv = new DepthwiseConv1d(sd, "conv", channels, kernel);

        // causal with the first frame replicated to the left, as the streaming context starts
        int pad = kernel - 1;
        float[] padded = new float[(frames + pad) * channels];
        for (int t = 0; t < frames + pad; t++)
            System.arraycopy(x, Math.max(0, t - pad) * channels, padded, t * channels, channels);
        float[] offline = conv.apply(padded, frames + pad);
        assertThat(offline).hasSize(frames * channels);
        for (int t = 0; t < frames; t++)
            for (int c = 0; c < channels; c++) {
                double s = b[c];
                for (int j = 0; j < kernel; j++) s += (double) w[c * kernel + j] * padded[(t + j) * channels + c];
                assertThat((double) offline[t * channels + c]).as("frame %d channel %d", t, c).isCloseTo(s, within(1e-4 * (1 + Math.abs(s))));
            }

        for (int chunk : new int[] {1, 3, 4, 16}) {
            CausalContext ctx = new CausalContext(pad, channels, CausalContext.FirstPad.REPLICATE);
            float[] streamed = new float[frames * channels];
            for (int t0 = 0; t0 < frames; t0 += chunk) {
                int n = Math.min(chunk, frames - t0);
                float[] in = java.util.Arrays.copyOfRange(x, t0 * channels, (t0 + n) * channels);
                System.arraycopy(conv.applyCausal(ctx, in, n), 0, streamed, t0 * channels, n * channels);
            }
            assertThat(streamed).as("chunks of %d frames", chunk).isEqualTo(offline);
        }
    }
}
