package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.Conv;
import io.parla.secousticodec.SecoustiOps.ConvT;
import io.parla.secousticodec.SecoustiOps.Mat;

/**
 * HiFT vocoder (CosyVoice-1 layout): mel {@code [Tm, 80]} to waveform {@code [Tm · samplesPerFrame]}.
 * f0 predictor → harmonic-plus-noise source → source STFT; mel → conv_pre → (LeakyReLU → upsampling
 * ConvTranspose → + downsampled source → mean of multi-kernel Snake ResBlocks) per stage → conv_post →
 * magnitude/phase → iSTFT → clamp. All convolutions are "same"-padded, activations {@code [T, C]}.
 */
final class HiftVocoder {
    /** Snake ResBlock: for each dilation d, {@code x += conv2(snake2(conv1_d(snake1(x))))}. */
    record ResBlock(int k, int[] dil, Conv[] c1, Conv[] c2, float[][] a1, float[][] a2) {
        float[] forward(float[] x, int T) {
            for (int j = 0; j < dil.length; j++) {
                float[] t = SecoustiOps.snake(x, T, a1[j]);
                t = SecoustiOps.conv1d(t, T, c1[j], 1, dil[j], dil[j] * (k - 1) / 2, dil[j] * (k - 1) / 2);
                t = SecoustiOps.snake(t, T, a2[j]);
                t = SecoustiOps.conv1d(t, T, c2[j], 1, 1, (k - 1) / 2, (k - 1) / 2);
                SecoustiOps.addInPlace(t, x);
                x = t;
            }
            return x;
        }

        /** Input rows to the right that one output row depends on: the right pads of all its convolutions. */
        int rightReach() {
            int r = 0;
            for (int d : dil) r += d * (k - 1) / 2 + (k - 1) / 2;
            return r;
        }
    }

    // package-private: HiftStream runs the same layers chunk by chunk
    final SecoustiConfig.Vocoder vc;
    final int sampleRate, nMels, harmonics, nFft, hop, bins;
    final Conv[] f0Convs = new Conv[5];
    private final Mat f0Head, srcLinear;
    final Conv convPre, convPost;
    final ConvT[] ups;
    final Conv[] downs;
    final int[] downStride, downPad;
    final ResBlock[] srcBlocks, blocks;
    final ShortTimeFourier stft;

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
        f0Head = w.linear("f0_predictor.classifier", 1, cond, true);
        srcLinear = w.linear("m_source.l_linear", 1, harmonics, true);
        int base = vc.baseChannels();
        convPre = wnConv(w, "conv_pre", base, nMels, 7);
        int nUp = vc.upsampleRates().length, nk = vc.resblockKernelSizes().length;
        ups = new ConvT[nUp];
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
            ups[i] = SecoustiOps.packConvTranspose(w, v, in, out, k, vc.upsampleRates()[i], w.take("ups." + i + ".bias", out));
            int u = cum[i], dk = u == 1 ? 1 : 2 * u;
            downs[i] = SecoustiOps.packConv(w, w.take("source_downs." + i + ".weight", out, nFft + 2, dk), out, nFft + 2, dk,
                    w.take("source_downs." + i + ".bias", out));
            downStride[i] = u;
            downPad[i] = u == 1 ? 0 : u / 2;
            srcBlocks[i] = resBlock(w, "source_resblocks." + i, out, vc.sourceResblockKernelSizes()[i], vc.sourceResblockDilations()[i]);
            for (int j = 0; j < nk; j++)
                blocks[i * nk + j] = resBlock(w, "resblocks." + (i * nk + j), out, vc.resblockKernelSizes()[j], vc.resblockDilations()[j]);
        }
        convPost = wnConv(w, "conv_post", nFft + 2, base >> nUp, 7);
        stft = new ShortTimeFourier(nFft, hop);
    }

    private static Conv wnConv(Weights w, String prefix, int out, int in, int k) {
        return SecoustiOps.packConv(w, w.takeWeightNorm(prefix, out, in, k), out, in, k, w.take(prefix + ".bias", out));
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

    int samplesPerFrame() { return vc.samplesPerFrame(); }
    int harmonics() { return harmonics; }

    /** f0 in Hz per mel frame: {@code |classifier(ELU(conv)^5(mel))|}, mel {@code [Tm, n_mels]}. */
    float[] f0(float[] mel, int Tm) {
        float[] h = mel;
        for (Conv c : f0Convs) h = SecoustiOps.elu(SecoustiOps.conv1d(h, Tm, c, 1, 1, 1, 1));
        return f0Head(h, Tm);
    }

    /** The f0 predictor's head on its last hidden rows {@code [n, cond]}: {@code |classifier(h)|} per frame. */
    float[] f0Head(float[] h, int n) {
        float[] f0 = f0Head.apply(h, n);
        for (int i = 0; i < n; i++) f0[i] = Math.abs(f0[i]);
        return f0;
    }

    /** Harmonic-plus-noise source {@code [Tm · samplesPerFrame]} for frame-rate {@code f0} (see {@link Source}). */
    float[] source(float[] f0, Excitation ex) {
        return new Source(ex).next(f0);
    }

    /**
     * The harmonic-plus-noise source of one signal, fed f0 frames in chunks: nearest upsampling, per-harmonic
     * phase as the fractional part of a running sum (accumulated in double and rounded to float per sample, as
     * torch's CPU cumsum does; the sums are the state carried between chunks), sines gated by voicing, noise at
     * absolute sample positions, then {@code tanh(l_linear(·))}. Chunking does not change a single bit.
     */
    final class Source {
        private final Excitation ex;
        private final float[] psi;                           // start phase per harmonic
        private final double[] cum = new double[harmonics];  // running sum of f0·h/sr per harmonic
        private long position;                               // samples produced so far

        Source(Excitation ex) {
            this.ex = ex;
            psi = ex.startPhases(harmonics).clone();
            psi[0] = 0f;  // the reference fixes the fundamental's phase
        }

        /** Source samples {@code [f0.length · samplesPerFrame]} for the next f0 frames. */
        float[] next(float[] f0) {
            int up = samplesPerFrame(), L = Math.multiplyExact(f0.length, up);
            float[] amp = new float[L];
            float sigma = (float) vc.nsfSigma(), alpha = (float) vc.nsfAlpha(), thr = (float) vc.voicedThreshold();
            for (int n = 0; n < L; n++) amp[n] = f0[n / up] > thr ? sigma : alpha / 3;
            float[] noise = ex.noise(harmonics, position, L, amp);
            float[] e = new float[L * harmonics];  // [L, H]
            float[] arg = new float[L];            // phase of one harmonic, then its sine
            float twoPi = (float) (2 * Math.PI), sr = sampleRate;
            for (int h = 0; h < harmonics; h++) {
                float mult = h + 1;
                double c = cum[h];
                for (int n = 0; n < L; n++) {
                    c += (f0[n / up] * mult) / sr;
                    float cs = (float) c;
                    arg[n] = twoPi * (cs - (float) Math.floor(cs)) + psi[h];
                }
                cum[h] = c;
                SecoustiOps.sin(arg, L);
                for (int n = 0; n < L; n++) {
                    float uv = f0[n / up] > thr ? 1f : 0f;
                    e[n * harmonics + h] = alpha * arg[n] * uv + noise[h * L + n];
                }
            }
            position += L;
            float[] s = srcLinear.apply(e, L);
            for (int n = 0; n < L; n++) s[n] = (float) Math.tanh(s[n]);
            return s;
        }
    }

    /** Centred STFT of the source (reflect pad nFft/2, periodic Hann): {@code [L/hop + 1, 2·bins]} = re | im. */
    private float[] sourceStft(float[] s) {
        return stft.new Analysis().push(s, true);
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
            x = SecoustiOps.convTranspose1d(x, T, ups[i], pad, outT);
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
        if (post.length != frames * 2 * bins)
            throw new IllegalArgumentException("conv_post has " + post.length + " values, need " + frames + " x " + 2 * bins);
        return stft.new Synthesis((float) vc.audioLimit()).push(post, true);
    }

    /** mel {@code [Tm, n_mels]} to waveform {@code [Tm · samplesPerFrame]}. */
    float[] forward(float[] mel, int Tm, Excitation ex) {
        float[] s = source(f0(mel, Tm), ex);
        float[] post = convPost(mel, Tm, s);
        return istft(post, s.length / hop + 1);
    }
}
