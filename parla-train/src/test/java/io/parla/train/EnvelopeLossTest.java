package io.parla.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.parla.train.loss.EnvelopeLoss;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The STOI-shaped band-envelope correlation term. */
class EnvelopeLossTest {
    static final int SR = 16000, N = 16000;

    /** Speech-like test signal: a 120-200 Hz glide with harmonics, and noise bursts, under a syllable-rate envelope. */
    static float[] speechLike(long seed) {
        Random rnd = new Random(seed);
        float[] x = new float[N];
        double phase = 0;
        for (int i = 0; i < N; i++) {
            double t = (double) i / SR, f0 = 120 + 80 * t;
            phase += 2 * Math.PI * f0 / SR;
            double voiced = 0;
            for (int h = 1; h <= 20; h++) voiced += Math.sin(h * phase) / h;
            double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * t);
            double noise = (Math.sin(2 * Math.PI * 3 * t + 1) > 0.6 ? 1 : 0) * rnd.nextGaussian() * 0.3;
            x[i] = (float) (0.1 * (env * voiced + noise));
        }
        return x;
    }

    static float loss(NDManager m, float[] rec, float[] ref) {
        return EnvelopeLoss.loss(m.create(rec, new Shape(1, N)), m.create(ref, new Shape(1, N)), SR).getFloat();
    }

    @Test
    void identicalOrScaledSignalsScoreNearZeroAndDistortedOnesDoNot() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ref = speechLike(1);
            float[] scaled = ref.clone();
            for (int i = 0; i < N; i++) scaled[i] *= 3.7f;
            float[] reversed = new float[N];
            for (int i = 0; i < N; i++) reversed[i] = ref[N - 1 - i];
            Random rnd = new Random(2);
            float[] noisy = ref.clone();
            for (int i = 0; i < N; i++) noisy[i] += (float) (0.05 * rnd.nextGaussian());

            assertThat(loss(m, ref, ref)).isLessThan(1e-4f);
            assertThat(loss(m, scaled, ref)).isLessThan(1e-4f);
            float lNoisy = loss(m, noisy, ref), lReversed = loss(m, reversed, ref);
            assertThat(lNoisy).isGreaterThan(0.02f);
            assertThat(lReversed).isGreaterThan(lNoisy).isGreaterThan(0.3f);
        }
    }

    @Test
    void gradientPointsTowardsTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] ref = speechLike(3);
            Random rnd = new Random(4);
            float[] est = ref.clone();
            for (int i = 0; i < N; i++) est[i] += (float) (0.05 * rnd.nextGaussian());
            NDArray r = m.create(ref, new Shape(1, N));
            NDArray x = m.create(est, new Shape(1, N));
            x.setRequiresGradient(true);
            float before;
            NDArray g;
            try (GradientCollector c = Engine.getInstance().newGradientCollector()) {
                NDArray l = EnvelopeLoss.loss(x, r, SR);
                before = l.getFloat();
                c.backward(l);
            }
            g = x.getGradient();
            assertThat(g.abs().sum().getFloat()).isGreaterThan(0f);
            float step = 0.5f * x.sub(r).norm().getFloat() / g.norm().getFloat();
            NDArray moved = x.sub(g.mul(step));
            float after = EnvelopeLoss.loss(moved, r, SR).getFloat();
            assertThat(after).isLessThan(before);
        }
    }

    @Test
    void tooShortInputIsRejectedWithTheMinimumLength() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.zeros(new Shape(1, 4000));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> EnvelopeLoss.loss(a, a, SR))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 30 frames");
        }
    }
}
