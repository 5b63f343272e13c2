package io.parla.eval;

/**
 * Pitch (F0) tracking and two pitch-accuracy scores of a decoded signal against its reference: F0 match and gross
 * pitch error (GPE).
 *
 * <p>Why: a codec can keep the spectral envelope and still lose the talker's pitch. The stage-2 default model (v3)
 * produced voiced speech with a near-constant period whatever the input, and STOI hardly showed it: its bands follow
 * envelopes, not harmonics. The same tracker labels the reference crops for the training's pitch terms
 * ({@code PitchLoss} in parla-train), so what training aims at and what evaluation measures are the same pitch.
 *
 * <p>The tracker takes the normalised autocorrelation of a 40 ms frame (mean removed) over periods of 50 to 400 Hz,
 * the range of speaking voices. A frame is voiced when its best autocorrelation reaches 0.6 and it is no more than
 * 30 dB below the loudest frame, since low-level noise can be periodic too (hum, fan). Of the peaks within 90 % of the
 * best, the shortest period wins: a signal periodic at L is periodic at 2L as well, and with a finite window the
 * longer lag sometimes scores a little higher, which would read as an octave down. A parabola through the peak
 * and its neighbours gives the fractional period, because the interpolated period is far closer than the integer
 * lag at high pitch (40 samples at 400 Hz and 16 kHz: one sample is 43 cents).
 *
 * <p>Sizes scale with the sample rate (lags {@code rate/400 .. rate/50}, window twice the longest lag); at 16 kHz
 * they are the lags 40..320 and the 640-sample window the training has always used, and the output is the same
 * to the bit.
 */
public final class Pitch {
    /** Frames per second of the pitch track: 20 ms frames, the usual rate of pitch tracks and GPE figures. */
    public static final int FRAME_RATE = 50;
    static final double VOICED_NACF = 0.6, SILENCE_DB = 30, OCTAVE_TOLERANCE = 0.9;
    /** Half a semitone: a pitch this far off is heard as another note, so a frame outside it is not a match. */
    static final double MATCH_CENTS = 50;
    /** The usual GPE threshold: errors beyond 20 % are octave slips and wrong notes, not imprecision. */
    static final double GROSS_ERROR = 0.2;
    /** Below this, 400 Hz is fewer than 10 samples and the period is too coarse to mean anything. */
    static final int MIN_RATE = 4000;

    private Pitch() {
    }

    /** Shortest period searched, in samples (400 Hz). */
    public static int minLag(int rate) {
        return checked(rate) / 400;
    }

    /** Longest period searched, in samples (50 Hz, rounded up so that 50 Hz stays in range at any rate). */
    public static int maxLag(int rate) {
        return (checked(rate) + 49) / 50;
    }

    /** Analysis window (40 ms): two of the longest periods, so that even at 50 Hz the correlation spans a period. */
    public static int window(int rate) {
        return 2 * maxLag(rate);
    }

    /** Samples per frame of {@link #track(float[], int)}. */
    public static int hop(int rate) {
        return Math.round((float) checked(rate) / FRAME_RATE);
    }

    private static int checked(int rate) {
        if (rate < MIN_RATE) throw new IllegalArgumentException("pitch tracking needs at least " + MIN_RATE + " Hz, not " + rate);
        return rate;
    }

    /**
     * Pitch periods of the 20 ms frames of the whole signal, frame {@code t} centred at {@code (t + 1/2) * hop}:
     * in samples (fractional), 0 where unvoiced or silent.
     */
    public static float[] track(float[] x, int rate) {
        int hop = hop(rate);
        return track(x, 0, x.length, rate, hop, hop / 2, x.length / hop);
    }

    /**
     * Pitch periods in samples (fractional; 0 = unvoiced or silent) of {@code x[from .. from + len)} at
     * {@code rate}, for frames centred at {@code offset + t * hop}, {@code t < frames}. Frames may reach past the
     * ends: what lies outside counts as zeros.
     */
    public static float[] track(float[] x, int from, int len, int rate, int hop, int offset, int frames) {
        int minLag = minLag(rate), maxLag = maxLag(rate), window = window(rate);
        float[] lag = new float[frames];
        double[] energy = new double[frames];
        double maxEnergy = 0;
        float[] w = new float[window];
        for (int t = 0; t < frames; t++) {
            frame(x, from, len, offset + t * hop - window / 2, w);
            double e = 0;
            for (float v : w) e += (double) v * v;
            energy[t] = e;
            maxEnergy = Math.max(maxEnergy, e);
        }
        double floor = maxEnergy * Math.pow(10, -SILENCE_DB / 10);
        double[] nacf = new double[maxLag + 2];
        for (int t = 0; t < frames; t++) {
            if (energy[t] <= floor || energy[t] <= 0) continue;
            frame(x, from, len, offset + t * hop - window / 2, w);
            double best = 0;
            // one lag either side of the range, for the peak test and the parabola at its ends
            for (int l = minLag - 1; l <= maxLag + 1; l++) {
                double xy = 0, xx = 0, yy = 0;
                for (int n = 0; n + l < window; n++) {
                    xy += (double) w[n] * w[n + l];
                    xx += (double) w[n] * w[n];
                    yy += (double) w[n + l] * w[n + l];
                }
                nacf[l] = xx > 0 && yy > 0 ? xy / Math.sqrt(xx * yy) : 0;
                if (l >= minLag && l <= maxLag) best = Math.max(best, nacf[l]);
            }
            if (best < VOICED_NACF) continue;
            for (int l = minLag; l <= maxLag; l++) {
                if (nacf[l] >= OCTAVE_TOLERANCE * best && nacf[l] >= nacf[l - 1] && nacf[l] >= nacf[l + 1]) {
                    double a = nacf[l - 1], b = nacf[l], c = nacf[l + 1], d = a - 2 * b + c;
                    double shift = d < 0 ? 0.5 * (a - c) / d : 0;
                    lag[t] = (float) (l + Math.max(-0.5, Math.min(0.5, shift)));
                    break;
                }
            }
        }
        return lag;
    }

    /** {@code w.length} samples from {@code start}, zeros outside the signal, mean removed (a DC offset is not pitch). */
    private static void frame(float[] x, int from, int len, int start, float[] w) {
        double mean = 0;
        for (int i = 0; i < w.length; i++) {
            int j = start + i;
            w[i] = j >= 0 && j < len ? x[from + j] : 0;
            mean += w[i];
        }
        mean /= w.length;
        for (int i = 0; i < w.length; i++) w[i] -= (float) mean;
    }

    /**
     * Frame counts of a pitch comparison: the reference's voiced frames, those of them where the decoded signal is
     * voiced within 50 cents, the frames voiced in both, and those of them more than 20 % off.
     */
    public record Accuracy(int referenceVoiced, int matched, int bothVoiced, int grossErrors) {
        /** Share of the reference's voiced frames that the decoded signal reproduces at the right pitch; NaN if none. */
        public double f0Match() {
            return referenceVoiced == 0 ? Double.NaN : (double) matched / referenceVoiced;
        }

        /**
         * Gross pitch error: share of the frames voiced in both whose F0 differs by more than 20 %; NaN if none
         * (then F0 match, which also counts frames the decoded signal left unvoiced, says what happened).
         */
        public double gpe() {
            return bothVoiced == 0 ? Double.NaN : (double) grossErrors / bothVoiced;
        }
    }

    /** Compares the pitch tracks of two signals at one rate, over their common length. */
    public static Accuracy compare(float[] reference, float[] decoded, int rate) {
        int n = Math.min(reference.length, decoded.length), hop = hop(rate), frames = n / hop;
        float[] a = track(reference, 0, n, rate, hop, hop / 2, frames);
        float[] b = track(decoded, 0, n, rate, hop, hop / 2, frames);
        int voiced = 0, matched = 0, both = 0, gross = 0;
        for (int t = 0; t < frames; t++) {
            if (a[t] <= 0) continue;
            voiced++;
            if (b[t] <= 0) continue;
            both++;
            if (Math.abs(1200 * Math.log(b[t] / a[t]) / Math.log(2)) < MATCH_CENTS) matched++;
            // periods, so the decoded F0 over the reference's is a / b
            if (Math.abs(a[t] / b[t] - 1) > GROSS_ERROR) gross++;
        }
        return new Accuracy(voiced, matched, both, gross);
    }
}
