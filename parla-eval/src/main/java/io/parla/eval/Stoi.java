package io.parla.eval;

/**
 * Short-Time Objective Intelligibility (STOI), C. H. Taal, R. C. Hendriks, R. Heusdens and J. Jensen,
 * "An Algorithm for Intelligibility Prediction of Time-Frequency Weighted Noisy Speech", IEEE Trans.
 * Audio, Speech, and Language Processing 19(7), 2011, pp. 2125-2136.
 *
 * <p>After the analysis of {@link StoiFrontEnd} (10 kHz, silent frames removed, 15 one-third-octave band
 * envelopes), every band {@code j} of every 30-frame segment {@code m} gives a clean vector {@code x} and a
 * processed vector {@code y} of 30 envelope values. The processed vector is scaled to the clean one's
 * energy and clipped to a signal-to-distortion ratio of at least {@code beta = -15} dB:
 * <pre>  y' = min(y * ||x|| / (||y|| + eps), (1 + 10^(-beta/20)) * x)</pre>
 * and the intermediate intelligibility is the correlation coefficient of {@code x} and {@code y'}:
 * <pre>  d(j, m) = (x - mean x)·(y' - mean y') / ((||x - mean x|| + eps) (||y' - mean y'|| + eps))</pre>
 * STOI is the mean of {@code d(j, m)} over all bands and segments; {@code eps} is the float64 machine
 * epsilon. Scores lie in [-1, 1], typically [0.4, 1] for speech.
 */
public final class Stoi {
    static final double BETA_DB = -15;

    private Stoi() {
    }

    /**
     * STOI of {@code processed} against {@code clean}, both at {@code rate} Hz and of equal length (use
     * {@link DelayCompensation} first for codec output). Throws {@link IllegalArgumentException} when fewer
     * than 30 non-silent frames (384 ms) remain.
     */
    public static double compute(float[] clean, float[] processed, int rate) {
        return fromEnvelopes(StoiFrontEnd.analyse(clean, processed, rate));
    }

    static double fromEnvelopes(StoiFrontEnd.Envelopes e) {
        double clip = 1 + Math.pow(10, -BETA_DB / 20);
        int n = StoiFrontEnd.SEGMENT;
        double[] x = new double[n];
        double[] y = new double[n];
        double sum = 0;
        int segments = e.segments();
        for (int m = 0; m < segments; m++) {
            for (int j = 0; j < StoiFrontEnd.BANDS; j++) {
                System.arraycopy(e.clean()[j], m, x, 0, n);
                System.arraycopy(e.processed()[j], m, y, 0, n);
                double scale = Vectors.norm(x) / (Vectors.norm(y) + StoiFrontEnd.EPS);
                for (int t = 0; t < n; t++) y[t] = Math.min(y[t] * scale, clip * x[t]);
                Vectors.centre(x);
                Vectors.centre(y);
                sum += Vectors.dot(x, y) / ((Vectors.norm(x) + StoiFrontEnd.EPS) * (Vectors.norm(y) + StoiFrontEnd.EPS));
            }
        }
        return sum / ((double) segments * StoiFrontEnd.BANDS);
    }
}
