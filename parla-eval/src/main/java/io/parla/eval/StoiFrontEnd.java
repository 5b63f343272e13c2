package io.parla.eval;

/**
 * The analysis shared by {@link Stoi} and {@link Estoi} (Taal et al. 2011, section II; Jensen and Taal
 * 2016, section III-A): both signals at 10 kHz, silent frames removed, one-third-octave band envelopes.
 *
 * <ol>
 *   <li>Both signals are resampled to 10 kHz when given at another rate.</li>
 *   <li>Silent-frame removal: 256-sample frames with hop 128 starting at every multiple of 128 strictly
 *       below {@code len - 256}, windowed by the Hann window without zero end points
 *       {@code w[k] = 0.5 - 0.5 cos(2 pi k / 257)}, {@code k = 1..256}. A frame is kept when the energy of
 *       the windowed clean frame, {@code 20 log10(||w x|| + eps)}, is above the loudest clean frame's minus
 *       40 dB; the same frames are kept from the processed signal, and the kept windowed frames are
 *       overlap-added (hop 128) into shorter signals.</li>
 *   <li>STFT of those: the same framing and window, each frame zero-padded to a 512-point DFT, bins
 *       0..256.</li>
 *   <li>15 one-third-octave bands: band {@code j} ({@code j = 0..14}, centre {@code 150 * 2^(j/3)} Hz)
 *       spans the bins from the bin nearest {@code 150 * 2^((2j-1)/6)} Hz (inclusive) to the bin nearest
 *       {@code 150 * 2^((2j+1)/6)} Hz (exclusive); the envelope is the square root of the band's summed
 *       power, per frame.</li>
 * </ol>
 * Segments of 30 frames (384 ms) ending at every frame from the 30th on are then scored by the two
 * measures.
 */
final class StoiFrontEnd {
    static final int RATE = 10_000;
    static final int FRAME = 256;
    static final int HOP = 128;
    static final int NFFT = 512;
    static final int BANDS = 15;
    static final double MIN_FREQ = 150;
    static final int SEGMENT = 30;
    static final double DYNAMIC_RANGE_DB = 40;
    /** numpy's float64 machine epsilon, the regulariser the published definitions use. */
    static final double EPS = Math.ulp(1.0);

    private static final double[] WINDOW = new double[FRAME];
    private static final int[][] BAND_BINS = bandBins();

    static {
        for (int k = 0; k < FRAME; k++) WINDOW[k] = 0.5 - 0.5 * Math.cos(2 * Math.PI * (k + 1) / (FRAME + 1));
    }

    private StoiFrontEnd() {
    }

    /** One-third-octave band envelopes, {@code [band][frame]}, of the clean and the processed signal. */
    record Envelopes(double[][] clean, double[][] processed) {
        int frames() {
            return clean[0].length;
        }

        int segments() {
            return frames() - SEGMENT + 1;
        }
    }

    static Envelopes analyse(float[] clean, float[] processed, int rate) {
        if (clean.length != processed.length) {
            throw new IllegalArgumentException("STOI needs signals of equal length, got " + clean.length + " and "
                    + processed.length + " samples (align them first, e.g. with DelayCompensation)");
        }
        float[] x = Resampling.resample(clean, rate, RATE);
        float[] y = rate == RATE ? processed : Resampling.resample(processed, rate, RATE);
        double[][] kept = removeSilentFrames(x, y);
        Envelopes e = new Envelopes(bandEnvelopes(kept[0]), bandEnvelopes(kept[1]));
        if (e.frames() < SEGMENT) {
            throw new IllegalArgumentException("STOI needs at least " + SEGMENT + " frames (384 ms) of non-silent speech, got "
                    + Math.max(0, e.frames()) + " frames after silent-frame removal");
        }
        return e;
    }

    private static int frameCount(int length) {
        return length <= FRAME ? 0 : (length - FRAME - 1) / HOP + 1;
    }

    static double[][] removeSilentFrames(float[] x, float[] y) {
        int frames = frameCount(x.length);
        double[] energy = new double[frames];
        double max = Double.NEGATIVE_INFINITY;
        for (int m = 0; m < frames; m++) {
            double s = 0;
            for (int k = 0; k < FRAME; k++) {
                double v = WINDOW[k] * x[m * HOP + k];
                s += v * v;
            }
            energy[m] = 20 * Math.log10(Math.sqrt(s) + EPS);
            max = Math.max(max, energy[m]);
        }
        int kept = 0;
        for (int m = 0; m < frames; m++) if (energy[m] > max - DYNAMIC_RANGE_DB) kept++;
        int outLen = kept == 0 ? 0 : (kept - 1) * HOP + FRAME;
        double[] xs = new double[outLen];
        double[] ys = new double[outLen];
        int pos = 0;
        for (int m = 0; m < frames; m++) {
            if (!(energy[m] > max - DYNAMIC_RANGE_DB)) continue;
            for (int k = 0; k < FRAME; k++) {
                xs[pos + k] += WINDOW[k] * x[m * HOP + k];
                ys[pos + k] += WINDOW[k] * y[m * HOP + k];
            }
            pos += HOP;
        }
        return new double[][] {xs, ys};
    }

    static double[][] bandEnvelopes(double[] s) {
        int frames = frameCount(s.length);
        double[][] env = new double[BANDS][frames];
        Fft fft = new Fft(NFFT);
        double[] frame = new double[FRAME];
        double[] re = new double[NFFT], im = new double[NFFT], power = new double[NFFT / 2 + 1];
        for (int m = 0; m < frames; m++) {
            for (int k = 0; k < FRAME; k++) frame[k] = WINDOW[k] * s[m * HOP + k];
            fft.powerSpectrum(frame, re, im, power);
            for (int j = 0; j < BANDS; j++) {
                double sum = 0;
                for (int b = BAND_BINS[j][0]; b < BAND_BINS[j][1]; b++) sum += power[b];
                env[j][m] = Math.sqrt(sum);
            }
        }
        return env;
    }

    /** {@code [band] -> {firstBin, endBinExclusive}}. */
    private static int[][] bandBins() {
        int[][] bins = new int[BANDS][];
        for (int j = 0; j < BANDS; j++) {
            bins[j] = new int[] {
                nearestBin(MIN_FREQ * Math.pow(2, (2.0 * j - 1) / 6)),
                nearestBin(MIN_FREQ * Math.pow(2, (2.0 * j + 1) / 6))
            };
        }
        return bins;
    }

    /** The DFT bin whose centre frequency is nearest {@code f}; the lower bin on a tie. */
    private static int nearestBin(double f) {
        int best = 0;
        double bestDist = Double.POSITIVE_INFINITY;
        for (int b = 0; b <= NFFT / 2; b++) {
            double d = (b * (double) RATE / NFFT - f) * (b * (double) RATE / NFFT - f);
            if (d < bestDist) {
                bestDist = d;
                best = b;
            }
        }
        return best;
    }
}
