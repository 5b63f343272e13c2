package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResamplerTest {
    private static float[] sine(double freq, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * freq * i / rate));
        return x;
    }

    /** RMS over the middle half, away from the edges. */
    private static double rms(float[] x) {
        double s = 0;
        int from = x.length / 4, to = 3 * x.length / 4;
        for (int i = from; i < to; i++) s += x[i] * x[i];
        return Math.sqrt(s / (to - from));
    }

    @Test
    void passBandToneKeepsItsAmplitudeAndPhase() {
        for (int[] r : new int[][] {{16000, 10000}, {16000, 8000}, {8000, 16000}, {24000, 16000}, {16000, 48000}, {44100, 16000}}) {
            float[] x = sine(3000, r[0], r[0]);
            float[] y = Resampling.resample(x, r[0], r[1]);
            assertThat(y.length).isEqualTo(r[1]);
            float[] expected = sine(3000, r[1], r[1]);
            double err = 0;
            for (int i = y.length / 4; i < 3 * y.length / 4; i++) err = Math.max(err, Math.abs(y[i] - expected[i]));
            assertThat(err).as("%d -> %d", r[0], r[1]).isLessThan(1e-3);
        }
    }

    @Test
    void toneAboveTheNewNyquistIsRemoved() {
        float[] y = Resampling.resample(sine(6500, 16000, 16000), 16000, 10000);
        double db = 20 * Math.log10(rms(y) / (0.5 / Math.sqrt(2)));
        assertThat(db).isLessThan(-70);
    }

    @Test
    void lengthFollowsCeilOfRatio() {
        assertThat(Resampling.resample(new float[101], 16000, 10000)).hasSize(64); // ceil(63.125)
        assertThat(Resampling.resample(new float[0], 16000, 10000)).isEmpty();
        assertThat(Resampling.resample(new float[7], 16000, 16000)).hasSize(7);
    }
}
