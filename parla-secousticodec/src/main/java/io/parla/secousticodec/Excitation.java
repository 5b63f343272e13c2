package io.parla.secousticodec;

import java.util.SplittableRandom;

/**
 * The random part of the HiFT harmonic source: a start phase per harmonic and additive Gaussian noise.
 * The official vocoder draws both from torch's global RNG on every call; Parla makes them explicit so a
 * decode is reproducible ({@link #seeded}) or exactly comparable to a recorded reference ({@link #recorded}).
 */
public interface Excitation {
    /**
     * Start phases in radians for the {@code harmonics} sines (fundamental first). The vocoder forces
     * the fundamental's phase to 0 whatever is returned, as the reference does.
     */
    float[] startPhases(int harmonics);

    /**
     * Additive noise {@code [harmonics, samples]} (harmonic-major), already scaled:
     * {@code amplitude[n] · N(0, 1)}, where {@code amplitude[n]} is {@code nsf_sigma} on voiced samples
     * and {@code nsf_alpha / 3} on unvoiced ones.
     */
    float[] noise(int harmonics, int samples, float[] amplitude);

    /** Phases U(-π, π) and Gaussian noise from a {@link SplittableRandom} seeded with {@code seed}. */
    static Excitation seeded(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Excitation() {
            @Override
            public float[] startPhases(int harmonics) {
                float[] p = new float[harmonics];
                for (int h = 0; h < harmonics; h++) p[h] = (float) rng.nextDouble(-Math.PI, Math.PI);
                return p;
            }

            @Override
            public float[] noise(int harmonics, int samples, float[] amplitude) {
                float[] n = new float[Math.multiplyExact(harmonics, samples)];
                for (int h = 0; h < harmonics; h++)
                    for (int i = 0; i < samples; i++) n[h * samples + i] = amplitude[i] * (float) rng.nextGaussian();
                return n;
            }
        };
    }

    /**
     * Replays recorded values (e.g. the phases and noise captured from the reference implementation).
     * {@code noise} is {@code [harmonics, samples]}, already scaled; lengths must match the request.
     */
    static Excitation recorded(float[] phases, float[] noise) {
        return new Excitation() {
            @Override
            public float[] startPhases(int harmonics) {
                if (phases.length != harmonics)
                    throw new IllegalArgumentException("recorded phases have " + phases.length + " values, need " + harmonics);
                return phases.clone();
            }

            @Override
            public float[] noise(int harmonics, int samples, float[] amplitude) {
                if (noise.length != (long) harmonics * samples)
                    throw new IllegalArgumentException("recorded noise has " + noise.length + " values, need "
                            + harmonics + " x " + samples);
                return noise.clone();
            }
        };
    }
}
