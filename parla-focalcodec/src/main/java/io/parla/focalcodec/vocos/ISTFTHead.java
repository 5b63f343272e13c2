package io.parla.focalcodec.vocos;

import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;

/**
 * {@code decoder.head} of Vocos: per frame, n/2+1 log-magnitudes and n/2+1 phases -> complex spectrum
 * ({@code min(exp(logmag), 100)}) -> inverse real FFT. Non-causal: periodic Hann window, overlap-add with the
 * hop, {@code (n - hop)/2} samples trimmed at both ends and division by the summed squared window, giving
 * exactly {@code T * hop} samples. Causal: the last hop samples of each frame's unwindowed inverse FFT.
 */
final class ISTFTHead {
    private final Linear proj;
    private final int nFft, hop;
    private final boolean causal;
    private final float[] window;
    private final RealFFT fft;

    ISTFTHead(StateDict sd, String prefix, int dim, int nFft, int hop, boolean causal) {
        this.nFft = nFft;
        this.hop = hop;
        this.causal = causal;
        this.proj = new Linear(sd, prefix + ".proj", dim, nFft + 2, true);
        this.window = new float[nFft];
        for (int i = 0; i < nFft; i++) window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft));
        this.fft = new RealFFT(nFft);
    }

    float[] forward(float[] x, int frames, Debug debug) {
        int bins = nFft / 2 + 1;
        float[] p = proj.forward(x, frames);
        debug.put("decoder.head.proj", p, frames);
        float[] re = new float[frames * bins], im = new float[frames * bins];
        for (int t = 0; t < frames; t++) {
            int r = t * (nFft + 2);
            for (int k = 0; k < bins; k++) {
                float mag = Math.min((float) Math.exp(p[r + k]), 100f);
                float ph = p[r + bins + k];
                re[t * bins + k] = mag * (float) Math.cos(ph);
                im[t * bins + k] = mag * (float) Math.sin(ph);
            }
        }
        float[] frame = new float[nFft];
        if (causal) {
            float[] out = new float[frames * hop];
            for (int t = 0; t < frames; t++) {
                fft.inverse(re, im, t * bins, frame);
                System.arraycopy(frame, nFft - hop, out, t * hop, hop);
            }
            return out;
        }
        int len = (frames - 1) * hop + nFft;
        double[] acc = new double[len], env = new double[len];
        for (int t = 0; t < frames; t++) {
            fft.inverse(re, im, t * bins, frame);
            int s = t * hop;
            for (int i = 0; i < nFft; i++) {
                acc[s + i] += frame[i] * window[i];
                env[s + i] += window[i] * window[i];
            }
        }
        int pad = (nFft - hop) / 2;
        float[] out = new float[frames * hop];
        for (int i = 0; i < out.length; i++) {
            double e = env[pad + i];
            out[i] = (float) (acc[pad + i] / e);
        }
        return out;
    }
}
