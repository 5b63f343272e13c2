package io.parla.secousticodec;

import java.util.Arrays;

/**
 * HiFT's short-time Fourier transforms (n_fft 16, hop 4, periodic Hann, {@code center=True}), written as
 * streams so the offline vocoder and the streaming decoder share one implementation: the offline path makes
 * one push that ends the stream. Sums are formed in double, in the same order either way.
 */
final class ShortTimeFourier {
    final int nFft, hop, bins, pad;
    private final double[] window, cosTable, sinTable;  // cos/sin(2π·a/nFft): the DFT twiddles

    ShortTimeFourier(int nFft, int hop) {
        this.nFft = nFft;
        this.hop = hop;
        bins = nFft / 2 + 1;
        pad = nFft / 2;
        window = new double[nFft];
        for (int n = 0; n < nFft; n++) window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft);
        cosTable = new double[nFft];
        sinTable = new double[nFft];
        for (int a = 0; a < nFft; a++) {
            cosTable[a] = Math.cos(2 * Math.PI * a / nFft);
            sinTable[a] = Math.sin(2 * Math.PI * a / nFft);
        }
    }

    /**
     * Analysis of a signal arriving in chunks: frames {@code [n, 2·bins]} (re | im); frame f covers samples
     * {@code f·hop - pad .. f·hop + pad - 1}, reflected at both ends of the signal. A frame is returned once its
     * last sample (and, at the start, the reflected sample {@code pad}) has arrived; the push that ends the
     * stream returns the rest ({@code L / hop + 1} frames in all).
     */
    final class Analysis {
        private float[] buf = new float[0];  // samples [bufStart, received)
        private long bufStart, received, nextFrame;
        private final double[] fr = new double[nFft];

        float[] push(float[] s, boolean end) {
            float[] nb = Arrays.copyOf(buf, buf.length + s.length);
            System.arraycopy(s, 0, nb, buf.length, s.length);
            buf = nb;
            received += s.length;
            long last;  // exclusive
            if (end) {
                if (received <= pad)
                    throw new IllegalArgumentException("source too short for the vocoder STFT: " + received + " samples");
                last = received / hop + 1;
            } else {
                last = nextFrame;
                while (Math.max(last * hop + pad - 1, pad) < received) last++;
            }
            int n = (int) Math.max(0, last - nextFrame);
            float[] out = new float[n * 2 * bins];
            for (int i = 0; i < n; i++) analyse(nextFrame + i, out, i * 2 * bins);
            nextFrame += n;
            long keepFrom = Math.max(0, nextFrame * hop - 2 * pad);
            if (keepFrom > bufStart) {
                buf = Arrays.copyOfRange(buf, (int) (keepFrom - bufStart), buf.length);
                bufStart = keepFrom;
            }
            return out;
        }

        private void analyse(long f, float[] out, int o) {
            long L = received;
            for (int n = 0; n < nFft; n++) {
                long i = f * hop + n - pad;
                if (i < 0) i = -i;
                else if (i >= L) i = 2 * (L - 1) - i;  // only reached once the stream has ended
                fr[n] = buf[(int) (i - bufStart)] * window[n];
            }
            for (int k = 0; k < bins; k++) {
                double re = 0, im = 0;
                for (int n = 0; n < nFft; n++) {
                    int a = k * n % nFft;  // angle -2π·a/N
                    re += fr[n] * cosTable[a];
                    im -= fr[n] * sinTable[a];
                }
                out[o + k] = (float) re;
                out[o + bins + k] = (float) im;
            }
        }
    }

    /**
     * HiFT's synthesis: conv_post frames {@code [n, 2·bins]} (log-magnitude | phase pre-activation) to samples.
     * Magnitude {@code min(exp, 100)}, phase {@code sin}, inverse real DFT (imaginary parts of DC and Nyquist
     * ignored), window, overlap-add, divide by the overlap-added squared window, drop {@code pad} samples at each
     * end, clamp to {@code ±limit}. Overlap-add position p is final once the frame starting after it has been
     * added, so a frame completes {@code hop} samples.
     */
    final class Synthesis {
        private final float limit;
        private double[] y = new double[0], env = new double[0];  // overlap-add positions [olaStart, ...)
        private long olaStart, frames, nextOut;  // nextOut: overlap-add position of the next returned sample
        private final double[] frame = new double[nFft], re = new double[bins], im = new double[bins];

        Synthesis(float limit) {
            this.limit = limit;
            nextOut = pad;
        }

        float[] push(float[] post, boolean end) {
            int n = post.length / (2 * bins);
            if (n > 0) {
                int need = (int) ((frames + n - 1) * hop + nFft - olaStart);
                if (need > y.length) {
                    y = Arrays.copyOf(y, need);
                    env = Arrays.copyOf(env, need);
                }
            }
            for (int f = 0; f < n; f++) add(post, f * 2 * bins, (frames + f) * hop);
            frames += n;
            long doneTo = end ? nFft + hop * (frames - 1) - pad : frames * hop;  // exclusive
            int m = (int) Math.max(0, doneTo - nextOut);
            float[] out = new float[m];
            for (int i = 0; i < m; i++) {
                int p = (int) (nextOut + i - olaStart);
                double e = env[p];
                float v = (float) (y[p] / (e > 1e-11 ? e : 1.0));
                out[i] = Math.max(-limit, Math.min(limit, v));
            }
            nextOut += m;
            long drop = Math.min(nextOut, frames * hop) - olaStart;  // later frames start at frames·hop
            if (drop > 0) {
                y = Arrays.copyOfRange(y, (int) drop, y.length);
                env = Arrays.copyOfRange(env, (int) drop, env.length);
                olaStart += drop;
            }
            return out;
        }

        private void add(float[] post, int o, long start) {
            for (int k = 0; k < bins; k++) {
                double mag = Math.min(Math.exp(post[o + k]), 100.0);
                double ph = Math.sin(post[o + bins + k]);
                re[k] = mag * Math.cos(ph);
                im[k] = mag * Math.sin(ph);
            }
            for (int n = 0; n < nFft; n++) {
                double s = re[0] + ((n & 1) == 0 ? re[bins - 1] : -re[bins - 1]);
                for (int k = 1; k < bins - 1; k++) {
                    int a = k * n % nFft;  // angle 2π·a/N
                    s += 2 * (re[k] * cosTable[a] - im[k] * sinTable[a]);
                }
                frame[n] = s / nFft * window[n];
            }
            int b = (int) (start - olaStart);
            for (int n = 0; n < nFft; n++) {
                y[b + n] += frame[n];
                env[b + n] += window[n] * window[n];
            }
        }
    }
}
