package io.parla.eval;

/**
 * Scale-invariant signal-to-distortion ratio, J. Le Roux, S. Wisdom, H. Erdogan and J. R. Hershey,
 * "SDR - half-baked or well done?", ICASSP 2019.
 *
 * <p>Both signals are first made zero-mean ({@code s} the reference, {@code e} the estimate). With
 * {@code eps = 1e-12}:
 * <pre>
 *   alpha  = (e·s + eps) / (s·s + eps)          optimal scaling of the reference
 *   target = alpha s,   noise = e - target
 *   SI-SDR = 10 log10((||target||^2 + eps) / (||noise||^2 + eps))   in dB
 * </pre>
 * It ignores gain but, unlike STOI, punishes any phase or waveform change, so parametric and neural
 * codecs score low (often negative) even when they sound good: read it next to STOI and the mel distance.
 */
public final class SiSdr {
    static final double EPS = 1e-12;

    private SiSdr() {
    }

    /** SI-SDR in dB of {@code estimate} against {@code reference}; both of equal length, any common rate. */
    public static double compute(float[] reference, float[] estimate) {
        if (reference.length != estimate.length) {
            throw new IllegalArgumentException("SI-SDR needs signals of equal length, got " + reference.length + " and " + estimate.length);
        }
        double[] s = Vectors.toDouble(reference);
        double[] e = Vectors.toDouble(estimate);
        Vectors.centre(s);
        Vectors.centre(e);
        double alpha = (Vectors.dot(e, s) + EPS) / (Vectors.dot(s, s) + EPS);
        double targetEnergy = 0, noiseEnergy = 0;
        for (int i = 0; i < s.length; i++) {
            double t = alpha * s[i];
            double n = e[i] - t;
            targetEnergy += t * t;
            noiseEnergy += n * n;
        }
        return 10 * Math.log10((targetEnergy + EPS) / (noiseEnergy + EPS));
    }
}
