package io.parla.eval;

import java.util.Random;

/**
 * Synthetic voiced and noise signals with a known pitch, for the pitch tests here and in parla-train (which gets
 * them through this module's test jar), so that both test the one tracker on the same signals.
 */
public final class TestSignals {
    private TestSignals() {
    }

    /**
     * One second of five harmonics of a pitch gliding linearly from f0 to f1 Hz, under a slow amplitude envelope
     * (3 Hz, 0.2 to 1.0) so that the frames differ in level as in speech.
     */
    public static float[] voiced(double f0, double f1, int rate) {
        float[] x = new float[rate];
        double phase = 0;
        for (int i = 0; i < rate; i++) {
            double f = f0 + (f1 - f0) * i / rate;
            phase += 2 * Math.PI * f / rate;
            double v = 0;
            for (int h = 1; h <= 5; h++) v += Math.sin(h * phase) / h;
            x[i] = (float) (0.2 * v * (0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * i / rate)));
        }
        return x;
    }

    /** {@code n} samples of white Gaussian noise, standard deviation 0.1. */
    public static float[] noise(long seed, int n) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.1 * r.nextGaussian());
        return x;
    }
}
