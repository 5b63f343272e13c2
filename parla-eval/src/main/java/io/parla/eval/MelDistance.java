package io.parla.eval;

/**
 * Log-mel spectral distance: the mean absolute difference of log10 mel magnitude spectrograms, always
 * computed at 16 kHz (signals at another rate are resampled first).
 *
 * <p>Exact definition, for two equally long signals {@code x} (reference) and {@code y} at 16 kHz:
 * <ol>
 *   <li>Each is padded by 512 samples on both sides by reflection (the edge sample not repeated, as numpy's
 *       {@code reflect} mode) and cut into frames of 1024 samples with hop 256, giving
 *       {@code T = 1 + len / 256} (integer division) frames, frame {@code t} centred on sample
 *       {@code 256 t}.</li>
 *   <li>Each frame is multiplied by the periodic Hann window {@code w[n] = 0.5 - 0.5 cos(2 pi n / 1024)} and
 *       transformed with a 1024-point DFT; {@code |X[k, t]|}, {@code k = 0..512}, is the magnitude.</li>
 *   <li>80 triangular filters with peak 1 (no area normalisation) on the HTK mel scale
 *       {@code mel(f) = 2595 log10(1 + f / 700)}: 82 edge frequencies {@code f_0..f_81} equally spaced in
 *       mel from 0 Hz to 8000 Hz; filter {@code i} weights bin frequency {@code f = 16000 k / 1024} by
 *       {@code max(0, min((f - f_i) / (f_{i+1} - f_i), (f_{i+2} - f) / (f_{i+2} - f_{i+1})))}.</li>
 *   <li>{@code S[i, t] = log10(max(1e-5, sum_k H[i, k] |X[k, t]|))}.</li>
 *   <li>{@code D = (1 / (80 T)) sum_{i, t} |S_x[i, t] - S_y[i, t]|}.</li>
 * </ol>
 * 0 means identical spectra; for speech codecs, values around 0.3 to 0.7 are typical and 1 is poor.
 */
public final class MelDistance {
    static final int RATE = 16_000;
    static final int NFFT = 1024;
    static final int HOP = 256;
    static final int MELS = 80;
    static final double FLOOR = 1e-5;

    private static final double[][] FILTERS = melFilters();
    private static final double[] WINDOW = new double[NFFT];

    static {
        for (int n = 0; n < NFFT; n++) WINDOW[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / NFFT);
    }

    private MelDistance() {
    }

    /** Mel distance of {@code decoded} from {@code reference}, both at {@code rate} Hz and equally long. */
    public static double compute(float[] reference, float[] decoded, int rate) {
        if (reference.length != decoded.length) {
            throw new IllegalArgumentException("mel distance needs signals of equal length, got " + reference.length + " and " + decoded.length);
        }
        double[][] a = logMel(Resampling.resample(reference, rate, RATE));
        double[][] b = logMel(rate == RATE ? decoded : Resampling.resample(decoded, rate, RATE));
        double sum = 0;
        int frames = Math.min(a.length, b.length);
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < MELS; i++) sum += Math.abs(a[t][i] - b[t][i]);
        }
        return sum / ((double) frames * MELS);
    }

    /** {@code [frame][mel]} log10 mel magnitudes of a 16 kHz signal as defined above. */
    static double[][] logMel(float[] x) {
        if (x.length == 0) throw new IllegalArgumentException("mel distance of an empty signal");
        int frames = 1 + x.length / HOP;
        double[][] out = new double[frames][MELS];
        Fft fft = new Fft(NFFT);
        double[] re = new double[NFFT], im = new double[NFFT], frame = new double[NFFT], power = new double[NFFT / 2 + 1];
        for (int t = 0; t < frames; t++) {
            int start = t * HOP - NFFT / 2;
            for (int n = 0; n < NFFT; n++) frame[n] = WINDOW[n] * x[reflect(start + n, x.length)];
            fft.powerSpectrum(frame, re, im, power);
            for (int k = 0; k <= NFFT / 2; k++) power[k] = Math.sqrt(power[k]);
            for (int i = 0; i < MELS; i++) {
                out[t][i] = Math.log10(Math.max(FLOOR, Vectors.dot(FILTERS[i], power)));
            }
        }
        return out;
    }

    /** Index {@code i} mirrored into {@code [0, n)} without repeating the edge samples. */
    static int reflect(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1);
        int m = Math.floorMod(i, period);
        return m < n ? m : period - m;
    }

    static double hzToMel(double f) {
        return 2595 * Math.log10(1 + f / 700);
    }

    static double melToHz(double m) {
        return 700 * (Math.pow(10, m / 2595) - 1);
    }

    private static double[][] melFilters() {
        double[] edges = new double[MELS + 2];
        double top = hzToMel(RATE / 2.0);
        for (int i = 0; i < edges.length; i++) edges[i] = melToHz(top * i / (MELS + 1));
        double[][] h = new double[MELS][NFFT / 2 + 1];
        for (int i = 0; i < MELS; i++) {
            for (int k = 0; k <= NFFT / 2; k++) {
                double f = (double) RATE * k / NFFT;
                double rise = (f - edges[i]) / (edges[i + 1] - edges[i]);
                double fall = (edges[i + 2] - f) / (edges[i + 2] - edges[i + 1]);
                h[i][k] = Math.max(0, Math.min(rise, fall));
            }
        }
        return h;
    }
}
