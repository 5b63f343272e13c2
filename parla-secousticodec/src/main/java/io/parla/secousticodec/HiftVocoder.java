package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.Conv;

/**
 * HiFT vocoder (CosyVoice-1 layout): mel {@code [Tm, 80]} to waveform {@code [Tm · samplesPerFrame]}.
 * f0 predictor → harmonic-plus-noise source → source STFT; mel → conv_pre → (LeakyReLU → upsampling
 * ConvTranspose → + downsampled source → mean of multi-kernel Snake ResBlocks) per stage → conv_post →
 * magnitude/phase → iSTFT → clamp. All convolutions are "same"-padded, activations {@code [T, C]}.
 */
final class HiftVocoder {
    /** Snake ResBlock: for each dilation d, {@code x += conv2(snake2(conv1_d(snake1(x))))}. */
    private record ResBlock(int k, int[] dil, Conv[] c1, Conv[] c2, float[][] a1, float[][] a2) {
        float[] forward(float[] x, int T) {
            for (int j = 0; j < dil.length; j++) {
                float[] t = snake(x, T, a1[j]);
                t = SecoustiOps.conv1d(t, T, c1[j], 1, dil[j], dil[j] * (k - 1) / 2, dil[j] * (k - 1) / 2);
                t = snake(t, T, a2[j]);
                t = SecoustiOps.conv1d(t, T, c2[j], 1, 1, (k - 1) / 2, (k - 1) / 2);
                SecoustiOps.addInPlace(t, x);
                x = t;
            }
            return x;
        }
    }

    private final SecoustiConfig.Vocoder vc;
    private final int sampleRate, nMels, harmonics, nFft, hop, bins;
    private final Conv[] f0Convs = new Conv[5];
    private final float[] f0W, f0B, srcW, srcB;
    private final Conv convPre, convPost;
    private final Conv[] ups, downs;
    private final int[] downStride, downPad;
    private final ResBlock[] srcBlocks, blocks;
    private final double[] window;

    HiftVocoder(Weights w, SecoustiConfig cfg) {
        vc = cfg.vocoder();
        sampleRate = cfg.sampleRate();
        nMels = cfg.nMels();
        harmonics = vc.nbHarmonics() + 1;
        nFft = vc.istftNFft();
        hop = vc.istftHop();
        bins = nFft / 2 + 1;
        int cond = vc.f0CondChannels();
        for (int i = 0; i < 5; i++)
            f0Convs[i] = wnConv(w, "f0_predictor.condnet." + (2 * i), cond, i == 0 ? nMels : cond, 3);
        f0W = w.take("f0_predictor.classifier.weight", 1, cond);
        f0B = w.take("f0_predictor.classifier.bias", 1);
        srcW = w.take("m_source.l_linear.weight", 1, harmonics);
        srcB = w.take("m_source.l_linear.bias", 1);
        int base = vc.baseChannels();
        convPre = wnConv(w, "conv_pre", base, nMels, 7);
        int nUp = vc.upsampleRates().length, nk = vc.resblockKernelSizes().length;
        ups = new Conv[nUp];
        downs = new Conv[nUp];
        downStride = new int[nUp];
        downPad = new int[nUp];
        srcBlocks = new ResBlock[nUp];
        blocks = new ResBlock[nUp * nk];
        // cumulative downsampling of the source STFT per stage: reversed cumprod of [1] + rates[::-1][:-1]
        int[] cum = new int[nUp];
        int c = 1;
        for (int i = nUp - 1; i >= 0; i--) {
            cum[i] = c;
            c *= vc.upsampleRates()[i];
        }
        for (int i = 0; i < nUp; i++) {
            int in = base >> i, out = base >> (i + 1), k = vc.upsampleKernelSizes()[i];
            float[] v = w.takeWeightNorm("ups." + i, in, out, k);
            ups[i] = SecoustiOps.packConvTranspose(v, in, out, k, w.take("ups." + i + ".bias", out));
            int u = cum[i], dk = u == 1 ? 1 : 2 * u;
            downs[i] = SecoustiOps.packConv(w.take("source_downs." + i + ".weight", out, nFft + 2, dk), out, nFft + 2, dk,
                    w.take("source_downs." + i + ".bias", out));
            downStride[i] = u;
            downPad[i] = u == 1 ? 0 : u / 2;
            srcBlocks[i] = resBlock(w, "source_resblocks." + i, out, vc.sourceResblockKernelSizes()[i], vc.sourceResblockDilations()[i]);
            for (int j = 0; j < nk; j++)
                blocks[i * nk + j] = resBlock(w, "resblocks." + (i * nk + j), out, vc.resblockKernelSizes()[j], vc.resblockDilations()[j]);
        }
        convPost = wnConv(w, "conv_post", nFft + 2, base >> nUp, 7);
        window = new double[nFft];
        for (int n = 0; n < nFft; n++) window[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft);
    }

    private static Conv wnConv(Weights w, String prefix, int out, int in, int k) {
        return SecoustiOps.packConv(w.takeWeightNorm(prefix, out, in, k), out, in, k, w.take(prefix + ".bias", out));
    }

    private static ResBlock resBlock(Weights w, String prefix, int ch, int k, int[] dil) {
        int n = dil.length;
        Conv[] c1 = new Conv[n], c2 = new Conv[n];
        float[][] a1 = new float[n][], a2 = new float[n][];
        for (int j = 0; j < n; j++) {
            c1[j] = wnConv(w, prefix + ".convs1." + j, ch, ch, k);
            c2[j] = wnConv(w, prefix + ".convs2." + j, ch, ch, k);
            a1[j] = w.take(prefix + ".activations1." + j + ".alpha", ch);
            a2[j] = w.take(prefix + ".activations2." + j + ".alpha", ch);
        }
        return new ResBlock(k, dil.clone(), c1, c2, a1, a2);
    }

    /** Snake: {@code x + sin²(αx) / (α + 1e-9)}, α per channel. */
    private static float[] snake(float[] x, int T, float[] alpha) {
        int C = alpha.length;
        float[] y = new float[x.length];
        for (int t = 0; t < T; t++)
            for (int c = 0; c < C; c++) {
                float v = x[t * C + c];
                float s = (float) Math.sin(v * alpha[c]);
                y[t * C + c] = v + 1f / (alpha[c] + 1e-9f) * (s * s);
            }
        return y;
    }

    int samplesPerFrame() { return vc.samplesPerFrame(); }
    int harmonics() { return harmonics; }

    /** f0 in Hz per mel frame: {@code |classifier(ELU(conv)^5(mel))|}, mel {@code [Tm, n_mels]}. */
    float[] f0(float[] mel, int Tm) {
        float[] h = mel;
        for (Conv c : f0Convs) h = SecoustiOps.elu(SecoustiOps.conv1d(h, Tm, c, 1, 1, 1, 1));
        float[] f0 = SecoustiOps.linear(h, Tm, f0Convs[4].out(), f0W, f0B, 1);
        for (int i = 0; i < Tm; i++) f0[i] = Math.abs(f0[i]);
        return f0;
    }

    /**
     * Harmonic-plus-noise source {@code [Tm · samplesPerFrame]} for frame-rate {@code f0}: nearest
     * upsampling, per-harmonic phase as the fractional part of a cumulative sum (accumulated in double
     * and rounded to float per sample, as torch does on CPU), sines gated by voicing, noise, then
     * {@code tanh(l_linear(·))}.
     */
    float[] source(float[] f0, Excitation ex) {
        int up = samplesPerFrame(), L = Math.multiplyExact(f0.length, up);
        float[] amp = new float[L];
        float sigma = (float) vc.nsfSigma(), alpha = (float) vc.nsfAlpha(), thr = (float) vc.voicedThreshold();
        for (int n = 0; n < L; n++) amp[n] = f0[n / up] > thr ? sigma : alpha / 3;
        float[] phase0 = ex.startPhases(harmonics);
        float[] noise = ex.noise(harmonics, L, amp);
        float[] e = new float[L * harmonics];  // [L, H]
        float twoPi = (float) (2 * Math.PI), sr = sampleRate;
        for (int h = 0; h < harmonics; h++) {
            float psi = h == 0 ? 0f : phase0[h];
            float mult = h + 1;
            double cum = 0;
            for (int n = 0; n < L; n++) {
                float fv = f0[n / up];
                cum += (fv * mult) / sr;
                float cs = (float) cum;
                float theta = twoPi * (cs - (float) Math.floor(cs));
                float sine = alpha * (float) Math.sin(theta + psi);
                float uv = fv > thr ? 1f : 0f;
                e[n * harmonics + h] = sine * uv + noise[h * L + n];
            }
        }
        float[] s = SecoustiOps.linear(e, L, harmonics, srcW, srcB, 1);
        for (int n = 0; n < L; n++) s[n] = (float) Math.tanh(s[n]);
        return s;
    }

    /** Centred STFT of the source (reflect pad nFft/2, periodic Hann): {@code [L/hop + 1, 2·bins]} = re | im. */
    private float[] sourceStft(float[] s) {
        int L = s.length, pad = nFft / 2, frames = L / hop + 1;
        if (L <= pad) throw new IllegalArgumentException("source too short for the vocoder STFT: " + L + " samples");
        float[] out = new float[frames * 2 * bins];
        double[] fr = new double[nFft];
        for (int f = 0; f < frames; f++) {
            for (int n = 0; n < nFft; n++) {
                int i = f * hop + n - pad;
                if (i < 0) i = -i;
                else if (i >= L) i = 2 * (L - 1) - i;
                fr[n] = s[i] * window[n];
            }
            for (int k = 0; k < bins; k++) {
                double re = 0, im = 0;
                for (int n = 0; n < nFft; n++) {
                    double a = -2 * Math.PI * ((long) k * n % nFft) / nFft;
                    re += fr[n] * Math.cos(a);
                    im += fr[n] * Math.sin(a);
                }
                out[f * 2 * bins + k] = (float) re;
                out[f * 2 * bins + bins + k] = (float) im;
            }
        }
        return out;
    }

    /** conv_post output {@code [L/hop + 1, 2·bins]} (log-magnitude | phase pre-activation) for mel and source. */
    float[] convPost(float[] mel, int Tm, float[] source) {
        float[] sStft = sourceStft(source);
        int sFrames = source.length / hop + 1;
        float[] x = SecoustiOps.conv1d(mel, Tm, convPre, 1, 1, 3, 3);
        int T = Tm;
        int nk = vc.resblockKernelSizes().length;
        for (int i = 0; i < ups.length; i++) {
            int u = vc.upsampleRates()[i], k = vc.upsampleKernelSizes()[i];
            x = SecoustiOps.leakyRelu(x, (float) vc.lreluSlope());
            int pad = (k - u) / 2, outT = (T - 1) * u + k - 2 * pad;  // ConvTranspose1d(k, u, padding=pad)
            x = SecoustiOps.convTranspose1d(x, T, ups[i], u, pad, outT);
            T = outT;
            int C = ups[i].out();
            if (i == ups.length - 1) {  // ReflectionPad1d((1, 0)): row 1 copied in front
                float[] p = new float[(T + 1) * C];
                System.arraycopy(x, C, p, 0, C);
                System.arraycopy(x, 0, p, C, T * C);
                x = p;
                T++;
            }
            float[] si = SecoustiOps.conv1d(sStft, sFrames, downs[i], downStride[i], 1, downPad[i], downPad[i]);
            int siT = SecoustiOps.convOutLength(sFrames, downs[i].k(), downStride[i], 1, downPad[i], downPad[i]);
            if (siT != T)
                throw new IllegalStateException("vocoder stage " + i + ": source branch has " + siT + " frames, main " + T);
            si = srcBlocks[i].forward(si, T);
            SecoustiOps.addInPlace(x, si);
            float[] acc = null;
            for (int j = 0; j < nk; j++) {
                float[] r = blocks[i * nk + j].forward(x, T);
                if (acc == null) acc = r;
                else SecoustiOps.addInPlace(acc, r);
            }
            for (int q = 0; q < acc.length; q++) acc[q] /= nk;
            x = acc;
        }
        x = SecoustiOps.leakyRelu(x, 0.01f);
        return SecoustiOps.conv1d(x, T, convPost, 1, 1, 3, 3);
    }

    /** conv_post output to waveform: magnitude {@code min(exp, 100)}, phase {@code sin}, iSTFT, clamp. */
    float[] istft(float[] post, int frames) {
        int ola = nFft + hop * (frames - 1);
        double[] y = new double[ola], env = new double[ola];
        double[] frame = new double[nFft];
        for (int f = 0; f < frames; f++) {
            int o = f * 2 * bins;
            double[] re = new double[bins], im = new double[bins];
            for (int k = 0; k < bins; k++) {
                double mag = Math.min(Math.exp(post[o + k]), 100.0);
                double ph = Math.sin(post[o + bins + k]);
                re[k] = mag * Math.cos(ph);
                im[k] = mag * Math.sin(ph);
            }
            for (int n = 0; n < nFft; n++) {
                double s = re[0] + ((n & 1) == 0 ? re[bins - 1] : -re[bins - 1]);
                for (int k = 1; k < bins - 1; k++) {
                    double a = 2 * Math.PI * ((long) k * n % nFft) / nFft;
                    s += 2 * (re[k] * Math.cos(a) - im[k] * Math.sin(a));
                }
                frame[n] = s / nFft * window[n];
            }
            for (int n = 0; n < nFft; n++) {
                y[f * hop + n] += frame[n];
                env[f * hop + n] += window[n] * window[n];
            }
        }
        int pad = nFft / 2, L = ola - 2 * pad;
        float[] out = new float[L];
        float lim = (float) vc.audioLimit();
        for (int n = 0; n < L; n++) {
            double e = env[n + pad];
            float v = (float) (y[n + pad] / (e > 1e-11 ? e : 1.0));
            out[n] = Math.max(-lim, Math.min(lim, v));
        }
        return out;
    }

    /** mel {@code [Tm, n_mels]} to waveform {@code [Tm · samplesPerFrame]}. */
    float[] forward(float[] mel, int Tm, Excitation ex) {
        float[] s = source(f0(mel, Tm), ex);
        float[] post = convPost(mel, Tm, s);
        return istft(post, s.length / hop + 1);
    }
}
