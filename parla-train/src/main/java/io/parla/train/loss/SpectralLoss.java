package io.parla.train.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Multi-resolution reconstruction losses on waveforms [B, N] at a given sample rate: log-mel L1 and STFT
 * (spectral convergence + log-magnitude L1), both averaged over resolutions.
 */
public final class SpectralLoss {
    /** One STFT resolution; {@code mels} = number of mel bands for the mel loss. */
    public record Resolution(int nFft, int hop, int mels) {}

    public static final List<Resolution> DEFAULT_16K = List.of(
            new Resolution(512, 128, 64), new Resolution(1024, 256, 80));

    private final List<Resolution> res;
    private final int sampleRate;

    public SpectralLoss(List<Resolution> res, int sampleRate) {
        this.res = res;
        this.sampleRate = sampleRate;
    }

    /** Magnitude spectrogram [B, frames, bins] (centre padding, periodic Hann window). */
    public static NDArray magnitude(NDArray x, int nFft, int hop) {
        NDManager m = x.getManager();
        float[] w = new float[nFft];
        for (int i = 0; i < nFft; i++) w[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft));
        NDArray s = x.stft(nFft, hop, true, m.create(w), false, false); // [B, bins, frames, 2]
        return s.square().sum(new int[] {3}).add(1e-7f).sqrt().transpose(0, 2, 1);
    }

    /** Slaney-style (HTK formula) triangular mel filterbank [bins, mels]. */
    public static float[] melBank(int nFft, int mels, int sr) {
        int bins = nFft / 2 + 1;
        double fMax = sr / 2.0;
        double mMax = 2595 * Math.log10(1 + fMax / 700);
        double[] pts = new double[mels + 2];
        for (int i = 0; i < pts.length; i++) pts[i] = 700 * (Math.pow(10, mMax * i / (mels + 1) / 2595) - 1);
        float[] fb = new float[bins * mels];
        for (int b = 0; b < bins; b++) {
            double f = (double) b * sr / nFft;
            for (int k = 0; k < mels; k++) {
                double lo = pts[k], c = pts[k + 1], hi = pts[k + 2];
                double v = f <= lo || f >= hi ? 0 : f <= c ? (f - lo) / (c - lo) : (hi - f) / (hi - c);
                fb[b * mels + k] = (float) (v * 2 / (hi - lo));
            }
        }
        return fb;
    }

    public static NDArray logMel(NDArray mag, int nFft, int mels, int sr) {
        int bins = nFft / 2 + 1;
        NDArray fb = mag.getManager().create(melBank(nFft, mels, sr), new Shape(bins, mels));
        return mag.matMul(fb).maximum(1e-5f).log();
    }

    /** Returns "mel", "sc", "mag" terms (each averaged over resolutions). */
    public Map<String, NDArray> terms(NDArray rec, NDArray ref) {
        NDArray mel = null, sc = null, mag = null;
        int melResolutions = 0;
        for (Resolution r : res) {
            NDArray a = magnitude(rec, r.nFft(), r.hop());
            NDArray b = magnitude(ref, r.nFft(), r.hop());
            if (r.mels() > 0) {
                NDArray ml = logMel(a, r.nFft(), r.mels(), sampleRate).sub(logMel(b, r.nFft(), r.mels(), sampleRate)).abs().mean();
                mel = mel == null ? ml : mel.add(ml);
                melResolutions++;
            }
            NDArray s = b.sub(a).square().sum().sqrt().div(b.square().sum().sqrt().add(1e-7f));
            NDArray lm = a.log().sub(b.log()).abs().mean();
            sc = sc == null ? s : sc.add(s);
            mag = mag == null ? lm : mag.add(lm);
        }
        if (melResolutions == 0) throw new IllegalArgumentException("no resolution has mel bands (mels > 0)");
        float n = res.size();
        Map<String, NDArray> out = new LinkedHashMap<>();
        out.put("mel", mel.div(melResolutions));
        out.put("sc", sc.div(n));
        out.put("mag", mag.div(n));
        return out;
    }

    /** Validation mel distance: mean |log-mel(rec) - log-mel(ref)| at n_fft 1024, hop 256, 80 mels. */
    public static float melDistance(NDArray rec, NDArray ref, int sr) {
        NDArray a = logMel(magnitude(rec, 1024, 256), 1024, 80, sr);
        NDArray b = logMel(magnitude(ref, 1024, 256), 1024, 80, sr);
        return a.sub(b).abs().mean().getFloat();
    }

    /**
     * Pearson correlation of the per-frame energies (dB, 20 ms frames) of two signals: does the output follow
     * the input's loudness envelope at all (a constant-output decoder scores about 0).
     */
    public static double envelopeCorrelation(float[] est, float[] ref) {
        int frames = Math.min(est.length, ref.length) / 320;
        if (frames < 2) return 0;
        double[] a = new double[frames], b = new double[frames];
        for (int f = 0; f < frames; f++) {
            double ea = 0, eb = 0;
            for (int i = f * 320; i < (f + 1) * 320; i++) { ea += (double) est[i] * est[i]; eb += (double) ref[i] * ref[i]; }
            a[f] = 10 * Math.log10(ea / 320 + 1e-10);
            b[f] = 10 * Math.log10(eb / 320 + 1e-10);
        }
        double ma = 0, mb = 0;
        for (int f = 0; f < frames; f++) { ma += a[f]; mb += b[f]; }
        ma /= frames;
        mb /= frames;
        double c = 0, va = 0, vb = 0;
        for (int f = 0; f < frames; f++) {
            c += (a[f] - ma) * (b[f] - mb);
            va += (a[f] - ma) * (a[f] - ma);
            vb += (b[f] - mb) * (b[f] - mb);
        }
        return va <= 0 || vb <= 0 ? 0 : c / Math.sqrt(va * vb);
    }

    /** Scale-invariant SDR in dB of one pair of signals. */
    public static double siSdr(float[] est, float[] ref) {
        int n = Math.min(est.length, ref.length);
        double dot = 0, rr = 0;
        for (int i = 0; i < n; i++) { dot += (double) est[i] * ref[i]; rr += (double) ref[i] * ref[i]; }
        double a = dot / Math.max(rr, 1e-12), num = 0, den = 0;
        for (int i = 0; i < n; i++) {
            double t = a * ref[i], e = est[i] - t;
            num += t * t;
            den += e * e;
        }
        return 10 * Math.log10(Math.max(num, 1e-12) / Math.max(den, 1e-12));
    }
}
