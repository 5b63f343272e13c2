package io.parla.secousticodec;

import java.util.SplittableRandom;

/**
 * The random part of the HiFT harmonic source: a start phase per harmonic and additive Gaussian noise.
 * The official vocoder draws both from torch's global RNG on every call; Parla makes them explicit so a
 * decode is reproducible ({@link #seeded}) or exactly comparable to a recorded reference ({@link #recorded}).
 *
 * <p>Noise is addressed by absolute sample position: the value at (harmonic, sample) must not depend on how
 * the requests are split. That is what lets the streaming decoder, which asks for a few hundred samples at a
 * time, produce the same waveform as the offline vocoder, which asks for the whole signal at once.
 */
public interface Excitation {
    /**
     * Start phases in radians for the {@code harmonics} sines (fundamental first); the same values on every
     * call. The vocoder forces the fundamental's phase to 0 whatever is returned, as the reference does.
     */
    float[] startPhases(int harmonics);

    /**
     * Additive noise {@code [harmonics, samples]} (harmonic-major) for the absolute sample positions
     * {@code start .. start + samples - 1}, already scaled: {@code amplitude[i] · N(0, 1)}, where
     * {@code amplitude[i]} (for position {@code start + i}) is {@code nsf_sigma} on voiced samples and
     * {@code nsf_alpha / 3} on unvoiced ones.
     */
    float[] noise(int harmonics, long start, int samples, float[] amplitude);

    /**
     * Phases U(-π, π) and Gaussian noise that are a pure function of {@code (seed, harmonic, position)}:
     * each block of {@value #SEEDED_BLOCK} samples of one harmonic has its own {@link SplittableRandom}, seeded
     * by mixing the seed, the harmonic and the block index, so any sub-range can be regenerated on its own.
     */
    static Excitation seeded(long seed) {
        return new Excitation() {
            @Override
            public float[] startPhases(int harmonics) {
                SplittableRandom rng = new SplittableRandom(mix(seed, -1, -1));
                float[] p = new float[harmonics];
                for (int h = 0; h < harmonics; h++) p[h] = (float) rng.nextDouble(-Math.PI, Math.PI);
                return p;
            }

            @Override
            public float[] noise(int harmonics, long start, int samples, float[] amplitude) {
                if (start < 0 || samples < 0) throw new IllegalArgumentException("negative noise range");
                float[] n = new float[Math.multiplyExact(harmonics, samples)];
                float[] block = new float[SEEDED_BLOCK];
                for (int h = 0; h < harmonics; h++) {
                    long b = -1;
                    for (int i = 0; i < samples; i++) {
                        long pos = start + i;
                        if (pos / SEEDED_BLOCK != b) {
                            b = pos / SEEDED_BLOCK;
                            SplittableRandom rng = new SplittableRandom(mix(seed, h, b));
                            for (int j = 0; j < SEEDED_BLOCK; j++) block[j] = (float) rng.nextGaussian();
                        }
                        n[h * samples + i] = amplitude[i] * block[(int) (pos % SEEDED_BLOCK)];
                    }
                }
                return n;
            }
        };
    }

    /** Samples per independently seeded noise block of {@link #seeded}. */
    int SEEDED_BLOCK = 256;

    /**
     * A well-spread 64-bit key for (seed, harmonic, block). {@link SplittableRandom}'s constructor does not
     * mix its seed (nearby seeds give shifted copies of one sequence), hence the SplitMix64 finaliser.
     */
    private static long mix(long seed, long harmonic, long block) {
        long z = seed * 0x9E3779B97F4A7C15L + (harmonic + 1) * 0xD1B54A32D192ED03L + (block + 1) * 0x8CB92BA72F3D8DD7L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * Replays recorded values (e.g. the phases and noise captured from the reference implementation).
     * {@code noise} is {@code [harmonics, recordedSamples]}, already scaled; requests must lie inside it.
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
            public float[] noise(int harmonics, long start, int samples, float[] amplitude) {
                int recorded = noise.length / harmonics;
                if (noise.length % harmonics != 0 || start < 0 || start + samples > recorded)
                    throw new IllegalArgumentException("recorded noise has " + noise.length + " values (" + harmonics
                            + " x " + recorded + "), need samples " + start + ".." + (start + samples - 1));
                float[] n = new float[harmonics * samples];
                for (int h = 0; h < harmonics; h++)
                    System.arraycopy(noise, (int) (h * recorded + start), n, h * samples, samples);
                return n;
            }
        };
    }
}
