package io.parla.cli;

import java.util.SplittableRandom;

/**
 * A deterministic speech-like test signal for benchmarks: voiced syllables (a gliding 90-230 Hz pitch with
 * harmonics to 4 kHz, shaped by three formants that move between vowel targets), unvoiced fricative noise
 * and short pauses, at about -12 dBFS peak. Not speech, but it exercises a codec like speech does (no
 * all-zero or pure-tone stretches that could take faster paths).
 */
final class SyntheticSpeech {
    private SyntheticSpeech() {}

    /** Formant frequencies (Hz) of a few vowels: /a/, /i/, /u/, /e/, /o/. */
    private static final double[][] VOWELS = {{730, 1090, 2440}, {270, 2290, 3010}, {300, 870, 2240},
            {530, 1840, 2480}, {570, 840, 2410}};

    static float[] generate(int samples, int rate, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] out = new float[samples];
        int pos = 0;
        double phase = 0;
        double[] from = VOWELS[0];
        while (pos < samples) {
            double kind = r.nextDouble();
            int len = (int) (rate * (0.12 + 0.2 * r.nextDouble()));
            len = Math.min(len, samples - pos);
            if (kind < 0.12) {
                pos += len / 2; // pause
                continue;
            }
            if (kind < 0.3) {
                fricative(out, pos, len, r);
            } else {
                double[] to = VOWELS[r.nextInt(VOWELS.length)];
                double f0a = 90 + 140 * r.nextDouble(), f0b = 90 + 140 * r.nextDouble();
                phase = syllable(out, pos, len, rate, from, to, f0a, f0b, phase, r);
                from = to;
            }
            pos += len;
        }
        float peak = 1e-9f;
        for (float v : out) peak = Math.max(peak, Math.abs(v));
        for (int i = 0; i < samples; i++) out[i] *= 0.25f / peak;
        return out;
    }

    private static double syllable(float[] out, int pos, int len, int rate, double[] fa, double[] fb, double f0a,
                                   double f0b, double phase, SplittableRandom r) {
        double[] f = new double[3];
        double[] bw = {90, 110, 170};
        int update = rate / 200; // formant envelope every 5 ms
        double[] amps = new double[64];
        for (int i = 0; i < len; i++) {
            double u = (double) i / Math.max(1, len - 1);
            double f0 = f0a + (f0b - f0a) * u;
            int harmonics = Math.min(amps.length, (int) (4000 / f0));
            if (i % update == 0) {
                for (int k = 0; k < 3; k++) f[k] = fa[k] + (fb[k] - fa[k]) * u;
                for (int h = 1; h <= harmonics; h++) {
                    double hz = h * f0, a = 0.02;
                    for (int k = 0; k < 3; k++) a += Math.exp(-0.5 * Math.pow((hz - f[k]) / bw[k], 2)) / (k + 1);
                    amps[h - 1] = a / Math.sqrt(h);
                }
            }
            phase += 2 * Math.PI * f0 / rate;
            if (phase > 2 * Math.PI) phase -= 2 * Math.PI;
            double s = 0;
            for (int h = 1; h <= harmonics; h++) s += amps[h - 1] * Math.sin(h * phase);
            double env = Math.sin(Math.PI * u);
            out[pos + i] += (float) (0.08 * env * s + 0.002 * (r.nextDouble() - 0.5));
        }
        return phase;
    }

    private static void fricative(float[] out, int pos, int len, SplittableRandom r) {
        double prev = 0;
        for (int i = 0; i < len; i++) {
            double n = r.nextDouble() * 2 - 1;
            double hp = n - 0.85 * prev; // crude high-pass: hiss
            prev = n;
            double env = Math.sin(Math.PI * i / Math.max(1, len - 1));
            out[pos + i] += (float) (0.05 * env * hp);
        }
    }
}
