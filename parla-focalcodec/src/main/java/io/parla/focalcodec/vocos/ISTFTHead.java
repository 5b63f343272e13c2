package io.parla.focalcodec.vocos;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;

/**
 * {@code decoder.head} of Vocos: per frame, n/2+1 log-magnitudes and n/2+1 phases -> complex spectrum
 * ({@code min(exp(logmag), 100)}) -> inverse real FFT. Non-causal: periodic Hann window, overlap-add with the
 * hop, {@code (n - hop)/2} samples trimmed at both ends and division by the summed squared window, giving
 * exactly {@code T * hop} samples. Causal: the last hop samples of each frame's unwindowed inverse FFT.
 *
 * <p>Causal with {@code crossfade > 0} (Parla extension): frames joined end to end leave a step at every block
 * edge (the shipped model's sample-to-sample jumps there are 1.5-1.8x the typical ones). A frame's inverse FFT is
 * one period of a periodic signal, so its first samples continue its last ones; the first {@code crossfade}
 * samples of block t are faded (raised cosine, amplitude-complementary) from frame t-1's continuation into frame
 * t's own samples. This overlaps the blocks without a sample of extra latency. The continuation is the only
 * state besides the backbone's, kept in a one-row {@link CausalContext} (zeros before the first frame).
 */
final class ISTFTHead {
    private final Linear proj;
    private final int nFft, hop, crossfade;
    private final boolean causal;
    private final float[] window, fadeIn;
    private final RealFFT fft;

    ISTFTHead(StateDict sd, String prefix, int dim, int nFft, int hop, boolean causal, int crossfade) {
        this.nFft = nFft;
        this.hop = hop;
        this.causal = causal;
        this.crossfade = crossfade;
        this.proj = new Linear(sd, prefix + ".proj", dim, nFft + 2, true);
        this.window = new float[nFft];
        for (int i = 0; i < nFft; i++) window[i] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / nFft));
        this.fadeIn = fadeIn(crossfade);
        this.fft = new RealFFT(nFft);
    }

    /** Weight of the current frame at sample k of the cross-fade: 0.5 - 0.5 cos(pi (k + 0.5) / L). */
    static float[] fadeIn(int length) {
        float[] a = new float[length];
        for (int k = 0; k < length; k++) a[k] = (float) (0.5 - 0.5 * Math.cos(Math.PI * (k + 0.5) / length));
        return a;
    }

    /** The continuation carried between calls (one row of {@code crossfade} samples), or null without cross-fade. */
    CausalContext newContext() {
        return carries() ? new CausalContext(1, crossfade, CausalContext.FirstPad.ZEROS) : null;
    }

    boolean carries() {
        return causal && crossfade > 0;
    }

    float[] forward(float[] x, int frames, CausalContext carry, Debug debug) {
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
        if (causal) return causalBlocks(re, im, frames, frame, carry);
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

    private float[] causalBlocks(float[] re, float[] im, int frames, float[] frame, CausalContext carry) {
        int bins = nFft / 2 + 1;
        float[] out = new float[frames * hop];
        float[] continuations = crossfade > 0 ? new float[frames * crossfade] : null;
        for (int t = 0; t < frames; t++) {
            fft.inverse(re, im, t * bins, frame);
            System.arraycopy(frame, nFft - hop, out, t * hop, hop);
            if (continuations != null) System.arraycopy(frame, 0, continuations, t * crossfade, crossfade);
        }
        if (continuations == null) return out;
        // offline calls get a fresh context: the same zeros before the first frame as a new stream
        CausalContext c = carry != null ? carry : newContext();
        float[] prev = c.padAndAdvance(continuations, frames); // [1 + frames, crossfade], row t = frame t-1's
        for (int t = 0; t < frames; t++)
            for (int k = 0; k < crossfade; k++) {
                int o = t * hop + k;
                out[o] = fadeIn[k] * out[o] + (1f - fadeIn[k]) * prev[t * crossfade + k];
            }
        return out;
    }
}
