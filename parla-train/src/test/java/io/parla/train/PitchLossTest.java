package io.parla.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.parla.eval.TestSignals;
import io.parla.train.loss.PitchLoss;
import org.junit.jupiter.api.Test;

class PitchLossTest {
    static final int SR = 16000, N = 16000;

    /** Five harmonics of f0 with a slow amplitude envelope; f0 may glide linearly to f1 (one second, N = SR). */
    static float[] voiced(double f0, double f1) {
        return TestSignals.voiced(f0, f1, SR);
    }

    static float[] noise(long seed) {
        return TestSignals.noise(seed, N);
    }

    @Test
    void tracksThePeriodOfVoicedFramesAndLeavesNoiseAndSilenceUnvoiced() {
        float[] lags = PitchLoss.track(voiced(150, 150), 0, N, 320, 0, 50);
        for (int t = 1; t < 49; t++) assertThat(lags[t]).as("frame " + t).isCloseTo(SR / 150f, within(0.5f));
        float[] glide = PitchLoss.track(voiced(100, 250), 0, N, 320, 160, 49);
        assertThat(glide[5]).isCloseTo((float) (SR / (100 + 150 * (5 * 320 + 160) / (double) N)), within(1.5f));
        assertThat(glide[40]).isCloseTo((float) (SR / (100 + 150 * (40 * 320 + 160) / (double) N)), within(1.5f));
        for (float l : PitchLoss.track(noise(1), 0, N, 320, 0, 50)) assertThat(l).isZero();
        for (float l : PitchLoss.track(new float[N], 0, N, 320, 0, 50)) assertThat(l).isZero();
        // offsets into a batch: the second row is read, not the first
        float[] both = new float[2 * N];
        System.arraycopy(noise(2), 0, both, 0, N);
        System.arraycopy(voiced(200, 200), 0, both, N, N);
        float[] b = PitchLoss.trackBatch(both, 2, N, 320, 0, 50);
        assertThat(b[10]).isZero();
        assertThat(b[60]).isCloseTo(80f, within(0.5f));
    }

    @Test
    void combTermIsZeroAtTheRightPitchAndPositiveForWrongPitchOrNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ref = voiced(150, 150);
            float[] lags = PitchLoss.track(ref, 0, N, 320, 0, N / 320 + 1);
            NDArray r = m.create(ref, new Shape(1, N));
            float same = PitchLoss.comb(r, r, lags, 320).getFloat();
            float octaveUp = PitchLoss.comb(m.create(voiced(300, 300), new Shape(1, N)), r, lags, 320).getFloat();
            float wrong = PitchLoss.comb(m.create(voiced(115, 115), new Shape(1, N)), r, lags, 320).getFloat();
            float noisy = PitchLoss.comb(m.create(noise(3), new Shape(1, N)), r, lags, 320).getFloat();
            assertThat(same).isLessThan(1e-4f);
            assertThat(wrong).isGreaterThan(0.3f);
            assertThat(noisy).isGreaterThan(0.3f);
            assertThat(octaveUp).isGreaterThan(0.3f);
            float silent = PitchLoss.comb(r, r, new float[lags.length], 320).getFloat();
            assertThat(silent).isZero();
        }
    }

    @Test
    void gradientMakesTheOutputMorePeriodicAtTheReferencePitch() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ref = voiced(150, 150);
            float[] lags = PitchLoss.track(ref, 0, N, 320, 0, N / 320 + 1);
            float[] est = voiced(130, 130);
            float[] n = noise(4);
            for (int i = 0; i < N; i++) est[i] += n[i];
            NDArray r = m.create(ref, new Shape(1, N));
            NDArray x = m.create(est, new Shape(1, N));
            x.setRequiresGradient(true);
            float before;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray l = PitchLoss.comb(x, r, lags, 320);
                before = l.getFloat();
                c.backward(l);
            }
            NDArray g = x.getGradient();
            NDArray moved = x.sub(g.mul(0.05f * x.norm().getFloat() / g.norm().getFloat()));
            assertThat(PitchLoss.comb(moved, r, lags, 320).getFloat()).isLessThan(before);
        }
    }

    @Test
    void buzzPenalisesAFrameRateClickTrainButNotTheReferencesOwnPeriodicity() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ref = voiced(137, 137);
            float[] clicky = ref.clone();
            for (int i = 0; i < N; i++) clicky[i] += (i % 320 == 0) ? 0.8f : 0f; // a step every 20 ms
            NDArray r = m.create(ref, new Shape(1, N));
            assertThat(PitchLoss.buzz(r, r, 320, 320).getFloat()).isLessThan(1e-5f);
            assertThat(PitchLoss.buzz(m.create(clicky, new Shape(1, N)), r, 320, 320).getFloat()).isGreaterThan(0.05f);
            // flipping the sign of every block is a buzz too (25 Hz), not a cure
            float[] flipped = ref.clone();
            for (int i = 0; i < N; i++) if ((i / 320) % 2 == 1) flipped[i] = -flipped[i];
            assertThat(PitchLoss.buzz(m.create(flipped, new Shape(1, N)), r, 320, 320).getFloat()).isGreaterThan(0.05f);
            // a 100 Hz voice is periodic at 320 samples itself: its own periodicity is not a buzz
            NDArray low = m.create(voiced(100, 100), new Shape(1, N));
            assertThat(PitchLoss.buzz(low, low, 320, 320).getFloat()).isLessThan(1e-5f);
            // silence in the reference is left out (no division by zero frames)
            NDArray silent = m.zeros(new Shape(1, N));
            assertThat(PitchLoss.buzz(m.create(clicky, new Shape(1, N)), silent, 320, 320).getFloat()).isFinite();
        }
    }
}
