package io.parla.secousticodec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The matmul-based convolutions against direct PyTorch-definition loops, on shapes the golden model does not use. */
class SecoustiOpsTest {
    private static float[] random(int n, SplittableRandom r) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
        return x;
    }

    private static double maxDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
        return m;
    }

    @ParameterizedTest(name = "conv T={0} in={1} out={2} k={3} stride={4} dil={5} pad={6},{7}")
    @CsvSource({"17,5,7,3,1,1,1,1", "17,5,7,7,1,3,9,9", "23,4,6,5,1,4,0,3", "20,3,5,4,2,1,2,1", "9,8,3,1,1,1,0,0",
            "6,3,4,3,1,5,0,0"})
    void conv1d(int T, int in, int out, int k, int stride, int dil, int padL, int padR) {
        SplittableRandom r = new SplittableRandom(T * 31L + k);
        float[] x = random(T * in, r), w = random(out * in * k, r), b = random(out, r);
        SecoustiOps.Conv c = SecoustiOps.packConv(new Weights("test", java.util.Map.of()), w, out, in, k, b);
        int tout = SecoustiOps.convOutLength(T, k, stride, dil, padL, padR);
        float[] ref = new float[tout * out];
        for (int t = 0; t < tout; t++)
            for (int o = 0; o < out; o++) {
                double s = b[o];
                for (int j = 0; j < k; j++) {
                    int src = t * stride - padL + j * dil;
                    if (src < 0 || src >= T) continue;
                    for (int i = 0; i < in; i++) s += (double) w[(o * in + i) * k + j] * x[src * in + i];
                }
                ref[t * out + o] = (float) s;
            }
        assertThat(maxDiff(SecoustiOps.conv1d(x, T, c, stride, dil, padL, padR), ref)).isLessThan(1e-5);
    }

    @Test
    void sineIsAccurateAndTheSameInEveryLane() {
        SplittableRandom r = new SplittableRandom(3);
        int n = 1 << 16;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (i < n / 2 ? r.nextDouble(-10, 10) : r.nextDouble(-2e4, 2e4));
        x[0] = 0f;
        x[1] = (float) Math.PI;
        x[2] = -1e-30f;
        float[] v = x.clone();
        SecoustiOps.sin(v, n);  // Vector API lanes (tests run with the incubator module)
        double worst = 0;
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToIntBits(v[i])).as("lane %d, x = %s", i, x[i])
                    .isEqualTo(Float.floatToIntBits(SecoustiOps.sinf(x[i])));
            worst = Math.max(worst, Math.abs(v[i] - Math.sin(x[i])));
        }
        System.out.printf("[secousticodec] sinf max |error| = %.2e%n", worst);
        assertThat(worst).isLessThan(3e-7);
    }

    @ParameterizedTest(name = "convT T={0} in={1} out={2} k={3} u={4} crop={5}")
    @CsvSource({"7,5,3,4,2,0", "7,5,3,5,2,1", "6,4,3,16,8,4", "5,3,2,3,3,2", "4,2,3,2,1,0", "5,3,4,7,3,0"})
    void convTranspose1d(int T, int in, int out, int k, int u, int crop) {
        SplittableRandom r = new SplittableRandom(T * 17L + k);
        float[] x = random(T * in, r), w = random(in * out * k, r), b = random(out, r);
        SecoustiOps.ConvT c = SecoustiOps.packConvTranspose(new Weights("test", java.util.Map.of()), w, in, out, k, u, b);
        int full = (T - 1) * u + k;
        double[] acc = new double[full * out];
        for (int t = 0; t < T; t++)
            for (int j = 0; j < k; j++)
                for (int o = 0; o < out; o++)
                    for (int i = 0; i < in; i++) acc[(t * u + j) * out + o] += (double) x[t * in + i] * w[(i * out + o) * k + j];
        int len = full - 2 * crop;
        float[] ref = new float[len * out];
        for (int p = 0; p < len; p++)
            for (int o = 0; o < out; o++) ref[p * out + o] = (float) (acc[(p + crop) * out + o] + b[o]);
        assertThat(maxDiff(SecoustiOps.convTranspose1d(x, T, c, crop, len), ref)).isLessThan(1e-5);
    }
}
