package io.parla.secousticodec;

/**
 * Log-mel features as the SecoustiCodec inference loader computes them: reflect-pad (n_fft - hop)/2 on
 * both sides, STFT without centring (periodic Hann, frames at 0, hop, 2·hop, ...), magnitude
 * {@code sqrt(re²+im²+eps)}, Slaney mel filterbank (librosa defaults), {@code log(max(mel, floor))}.
 * N samples give {@code N / hop} frames; output {@code [T, n_mels]}. The FFT runs in double.
 */
final class MelFrontEnd {
    private final int nFft, hop, nMels, bins;
    private final double eps, floor;
    private final double[] window;
    private final float[] basis;  // [nMels, bins]
    private final double[] cos, sin;
    private final int[] bitrev;

    MelFrontEnd(SecoustiConfig cfg) {
        SecoustiConfig.Mel m = cfg.mel();
        nFft = m.nFft();
        hop = m.hop();
        nMels = cfg.nMels();
        bins = nFft / 2 + 1;
        eps = m.magnitudeEps();
        floor = m.logFloor();
        window = new double[nFft];
        for (int n = 0; n < nFft; n++) window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft);
        basis = slaneyMelBasis(cfg.sampleRate(), nFft, nMels, m.fmin(), m.fmax());
        cos = new double[nFft / 2];
        sin = new double[nFft / 2];
        for (int i = 0; i < nFft / 2; i++) {
            cos[i] = Math.cos(-2 * Math.PI * i / nFft);
            sin[i] = Math.sin(-2 * Math.PI * i / nFft);
        }
        bitrev = new int[nFft];
        int bits = Integer.numberOfTrailingZeros(nFft);
        for (int i = 0; i < nFft; i++) bitrev[i] = Integer.reverse(i) >>> (32 - bits);
    }

    int nMels() { return nMels; }

    /** Minimum input length in samples (reflect padding needs more samples than the pad). */
    int minSamples() {
        return Math.max((nFft - hop) / 2 + 1, hop);
    }

    /** Frames produced for {@code n} samples. */
    int frames(int n) {
        return n / hop;
    }

    /** {@code x} (mono, model rate) to log-mel {@code [x.length / hop, n_mels]}. */
    float[] compute(float[] x) {
        if (x.length < minSamples())
            throw new IllegalArgumentException("need at least " + minSamples() + " samples, got " + x.length);
        int T = frames(x.length);
        float[] out = new float[T * nMels];
        Scratch s = new Scratch();
        for (int t = 0; t < T; t++) frame(x, 0, x.length, t, s, out, t * nMels);
        return out;
    }

    /** Work arrays for {@link #frame}. */
    final class Scratch {
        final double[] re = new double[nFft], im = new double[nFft], mag = new double[bins];
    }

    /** Samples of history frame {@code t} needs, counted back from its hop start. */
    int lookBehind() {
        return (nFft - hop) / 2;
    }

    /** Last sample index (exclusive) frame {@code t} needs before reflection at the end: {@code t·hop + n_fft - pad}. */
    long needsUpTo(long t) {
        return t * hop + nFft - lookBehind();
    }

    /**
     * One log-mel frame {@code t} into {@code out[outOff ..]}. {@code buf[0]} holds absolute sample
     * {@code bufStart}; {@code total} is the signal length for the reflection at the end (any larger value
     * if the end is not reached yet). Indices before 0 reflect about sample 0.
     */
    void frame(float[] buf, long bufStart, long total, long t, Scratch s, float[] out, int outOff) {
        int pad = lookBehind();
        for (int n = 0; n < nFft; n++) {
            long src = t * hop + n - pad;  // reflect padding on both sides
            if (src < 0) src = -src;
            else if (src >= total) src = 2 * (total - 1) - src;
            s.re[bitrev[n]] = buf[(int) (src - bufStart)] * window[n];
            s.im[bitrev[n]] = 0;
        }
        fftInPlace(s.re, s.im);
        for (int k = 0; k < bins; k++) s.mag[k] = Math.sqrt(s.re[k] * s.re[k] + s.im[k] * s.im[k] + eps);
        for (int m = 0; m < nMels; m++) {
            double acc = 0;
            int bo = m * bins;
            for (int k = 0; k < bins; k++) acc += basis[bo + k] * s.mag[k];
            out[outOff + m] = (float) Math.log(Math.max(acc, floor));
        }
    }

    /** Iterative radix-2 FFT of bit-reversed input. */
    private void fftInPlace(double[] re, double[] im) {
        int n = nFft;
        for (int len = 2; len <= n; len <<= 1) {
            int half = len >> 1, step = n / len;
            for (int i = 0; i < n; i += len) {
                for (int j = 0; j < half; j++) {
                    double wr = cos[j * step], wi = sin[j * step];
                    int a = i + j, b = a + half;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }

    private static double hzToMel(double f) {
        double fsp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fsp, logstep = Math.log(6.4) / 27.0;
        return f >= minLogHz ? minLogMel + Math.log(f / minLogHz) / logstep : f / fsp;
    }

    private static double melToHz(double m) {
        double fsp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fsp, logstep = Math.log(6.4) / 27.0;
        return m >= minLogMel ? minLogHz * Math.exp(logstep * (m - minLogMel)) : fsp * m;
    }

    /** librosa {@code filters.mel(sr, n_fft, n_mels, fmin, fmax)} defaults (Slaney scale and norm), float32. */
    static float[] slaneyMelBasis(int sr, int nFft, int nMels, double fmin, double fmax) {
        int bins = nFft / 2 + 1;
        double[] fft = new double[bins];
        for (int k = 0; k < bins; k++) fft[k] = (double) k * sr / nFft;
        double lo = hzToMel(fmin), hi = hzToMel(fmax);
        double[] melF = new double[nMels + 2];
        for (int i = 0; i < nMels + 2; i++) melF[i] = melToHz(lo + (hi - lo) * i / (nMels + 1));
        float[] w = new float[nMels * bins];
        for (int m = 0; m < nMels; m++) {
            double d0 = melF[m + 1] - melF[m], d1 = melF[m + 2] - melF[m + 1];
            double enorm = 2.0 / (melF[m + 2] - melF[m]);
            for (int k = 0; k < bins; k++) {
                double lower = (fft[k] - melF[m]) / d0;
                double upper = (melF[m + 2] - fft[k]) / d1;
                w[m * bins + k] = (float) (Math.max(0, Math.min(lower, upper)) * enorm);
            }
        }
        return w;
    }
}
