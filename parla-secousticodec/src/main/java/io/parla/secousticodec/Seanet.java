package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.Conv;
import io.parla.secousticodec.SecoustiOps.ConvT;

/**
 * Causal SEANet encoder and decoder (Moshi/EnCodec style, no norm, ELU, identity shortcut).
 * Offline causal conv: left-pad {@code (k-1)·dil + 1 - stride} zeros, right-pad just enough to complete the
 * last window; causal transposed conv: full output with the last {@code k - stride} rows dropped.
 * Activations {@code [T, C]}.
 */
final class Seanet {
    /** One causal convolution (conv, or transposed conv when {@code convT} is set) with its stride and dilation. */
    record CausalConv(Conv conv, ConvT convT, int stride, int dilation) {
        boolean transposed() {
            return convT != null;
        }

        int padTotal() {
            return (conv.k() - 1) * dilation + 1 - stride;
        }

        float[] forward(float[] x, int T) {
            if (transposed()) {
                // drop the last k - stride rows of the full (T-1)*stride + k output
                return SecoustiOps.convTranspose1d(x, T, convT, 0, T * stride);
            }
            int kEff = (conv.k() - 1) * dilation + 1;
            int pad = padTotal();
            double n = (double) (T - kEff + pad) / stride + 1;
            int extra = (int) ((Math.ceil(n) - 1) * stride + (kEff - pad) - T);
            return SecoustiOps.conv1d(x, T, conv, stride, dilation, pad, Math.max(0, extra));
        }

        int outLength(int T) {
            return transposed() ? T * stride : (T + stride - 1) / stride;
        }
    }

    /** ResBlock: {@code x + conv1x1(ELU(conv_k(ELU(x))))}. */
    record ResBlock(CausalConv a, CausalConv b) {
        float[] forward(float[] x, int T) {
            float[] h = b.forward(SecoustiOps.elu(a.forward(SecoustiOps.elu(x), T)), T);
            SecoustiOps.addInPlace(h, x);
            return h;
        }
    }

    private final CausalConv first;
    private final ResBlock[] blocks;
    private final CausalConv[] resample;
    private final CausalConv last;
    private final boolean decoder;

    private Seanet(CausalConv first, ResBlock[] blocks, CausalConv[] resample, CausalConv last, boolean decoder) {
        this.first = first;
        this.blocks = blocks;
        this.resample = resample;
        this.last = last;
        this.decoder = decoder;
    }

    private static CausalConv conv(Weights w, String prefix, int out, int in, int k, int stride, int dil) {
        float[] wt = w.take(prefix + ".conv.conv.weight", out, in, k);
        float[] b = w.take(prefix + ".conv.conv.bias", out);
        return new CausalConv(SecoustiOps.packConv(w, wt, out, in, k, b), null, stride, dil);
    }

    private static CausalConv convTr(Weights w, String prefix, int in, int out, int k, int stride) {
        float[] wt = w.take(prefix + ".convtr.convtr.weight", in, out, k);
        float[] b = w.take(prefix + ".convtr.convtr.bias", out);
        return new CausalConv(null, SecoustiOps.packConvTranspose(w, wt, in, out, k, stride, b), stride, 1);
    }

    private static ResBlock resBlock(Weights w, String prefix, int dim, SecoustiConfig.Seanet s) {
        int hidden = dim / s.compress();
        return new ResBlock(conv(w, prefix + ".block.1", hidden, dim, s.residualKernelSize(), 1, 1),
                conv(w, prefix + ".block.3", dim, hidden, 1, 1, 1));
    }

    /** Encoder {@code encoder.model.*}: mel {@code [T, n_mels]} to latent {@code [ceil(T/hop), latent_dim]}. */
    static Seanet encoder(Weights w, SecoustiConfig cfg) {
        SecoustiConfig.Seanet s = cfg.seanet();
        int[] ratios = s.ratios();
        int n = ratios.length, nf = s.nFilters();
        String p = "encoder.model.";
        CausalConv first = conv(w, p + 0, nf, cfg.nMels(), s.kernelSize(), 1, 1);
        ResBlock[] blocks = new ResBlock[n];
        CausalConv[] down = new CausalConv[n];
        int mult = 1, idx = 1;
        for (int i = 0; i < n; i++) {
            int r = ratios[n - 1 - i];  // the encoder walks the ratios in reverse
            blocks[i] = resBlock(w, p + idx, mult * nf, s);
            down[i] = conv(w, p + (idx + 2), mult * nf * 2, mult * nf, 2 * r, r, 1);
            mult *= 2;
            idx += 3;
        }
        CausalConv last = conv(w, p + (idx + 1), cfg.latentDim(), mult * nf, s.lastKernelSize(), 1, 1);
        return new Seanet(first, blocks, down, last, false);
    }

    /** Decoder {@code decoder.model.*}: latent {@code [T', latent_dim]} to mel {@code [T'·hop, n_mels]}. */
    static Seanet decoder(Weights w, SecoustiConfig cfg) {
        SecoustiConfig.Seanet s = cfg.seanet();
        int[] ratios = s.ratios();
        int n = ratios.length, nf = s.nFilters();
        String p = "decoder.model.";
        int mult = 1 << n;
        CausalConv first = conv(w, p + 0, mult * nf, cfg.latentDim(), s.kernelSize(), 1, 1);
        ResBlock[] blocks = new ResBlock[n];
        CausalConv[] up = new CausalConv[n];
        int idx = 1;
        for (int i = 0; i < n; i++) {
            int r = ratios[i];
            up[i] = convTr(w, p + (idx + 1), mult * nf, mult * nf / 2, 2 * r, r);
            blocks[i] = resBlock(w, p + (idx + 2), mult * nf / 2, s);
            mult /= 2;
            idx += 3;
        }
        CausalConv last = conv(w, p + (idx + 1), cfg.nMels(), nf, s.lastKernelSize(), 1, 1);
        return new Seanet(first, blocks, up, last, true);
    }

    /** Output frames for {@code T} input frames. */
    int outLength(int T) {
        for (CausalConv c : resample) T = c.outLength(T);
        return T;
    }

    /** Runs the stack on {@code x [T, C_in]}; returns {@code [outLength(T), C_out]}. */
    float[] forward(float[] x, int T) {
        float[] h = first.forward(x, T);
        for (int i = 0; i < blocks.length; i++) {
            if (decoder) {
                h = resample[i].forward(SecoustiOps.elu(h), T);
                T = resample[i].outLength(T);
                h = blocks[i].forward(h, T);
            } else {
                h = blocks[i].forward(h, T);
                h = resample[i].forward(SecoustiOps.elu(h), T);
                T = resample[i].outLength(T);
            }
        }
        return last.forward(SecoustiOps.elu(h), T);
    }

    /**
     * Streaming state of one causal convolution: the first chunk is preceded by {@code padTotal} zero
     * rows; only complete windows are emitted and the unused tail is kept for the next chunk. At the end
     * of the stream {@link #flush} appends the same zero rows the offline path pads on the right, so a
     * chunked run reproduces the offline output exactly.
     */
    static final class ConvStream {
        private final CausalConv c;
        private float[] pending;
        private int rows;   // rows in pending
        private long seen;  // real input rows received so far

        ConvStream(CausalConv c) {
            if (c.transposed()) throw new IllegalArgumentException("transposed convolutions are not streamed here");
            this.c = c;
            rows = c.padTotal();
            pending = new float[rows * c.conv().in()];
        }

        /** Feeds {@code n} rows; returns the newly complete output rows (possibly none). */
        float[] push(float[] x, int n) {
            int in = c.conv().in();
            float[] p = new float[(rows + n) * in];
            System.arraycopy(pending, 0, p, 0, rows * in);
            System.arraycopy(x, 0, p, rows * in, n * in);
            pending = p;
            rows += n;
            seen += n;
            return drain();
        }

        private float[] drain() {
            int in = c.conv().in(), kEff = (c.conv().k() - 1) * c.dilation() + 1;
            if (rows < kEff) return new float[0];
            int frames = (rows - kEff) / c.stride() + 1;
            float[] y = SecoustiOps.conv1d(pending, rows, c.conv(), c.stride(), c.dilation(), 0, 0);
            int used = frames * c.stride();
            float[] rest = new float[(rows - used) * in];
            System.arraycopy(pending, used * in, rest, 0, rest.length);
            pending = rest;
            rows -= used;
            return y;
        }

        /** End of stream: pads like the offline path and returns the last rows. */
        float[] flush() {
            int kEff = (c.conv().k() - 1) * c.dilation() + 1, pad = c.padTotal();
            double n = (double) (seen - kEff + pad) / c.stride() + 1;
            int extra = (int) Math.max(0, (Math.ceil(n) - 1) * c.stride() + (kEff - pad) - seen);
            return push(new float[extra * c.conv().in()], extra);
        }

        int out() { return c.conv().out(); }
    }

    /** Streaming state of an encoder ({@link #encoder}); see {@link ConvStream}. */
    final class EncoderStream {
        private final ConvStream[] convs;  // first, (block.a, block.b, down) per ratio, last

        EncoderStream() {
            if (decoder) throw new IllegalStateException("only the encoder streams");
            convs = new ConvStream[2 + 3 * blocks.length];
            convs[0] = new ConvStream(first);
            for (int i = 0; i < blocks.length; i++) {
                convs[1 + 3 * i] = new ConvStream(blocks[i].a());
                convs[2 + 3 * i] = new ConvStream(blocks[i].b());
                convs[3 + 3 * i] = new ConvStream(resample[i]);
            }
            convs[convs.length - 1] = new ConvStream(last);
        }

        /** Mel rows in, latent rows out ({@code [n, latent]}, possibly empty). */
        float[] push(float[] mel, int n) {
            return run(mel, n, false);
        }

        /** End of stream: the remaining latent rows, padded as offline. */
        float[] flush() {
            return run(new float[0], 0, true);
        }

        private float[] step(ConvStream s, float[] x, boolean flush) {
            int n = x.length / s.c.conv().in();
            if (!flush) return s.push(x, n);
            float[] a = s.push(x, n), b = s.flush();
            float[] r = new float[a.length + b.length];
            System.arraycopy(a, 0, r, 0, a.length);
            System.arraycopy(b, 0, r, a.length, b.length);
            return r;
        }

        private float[] run(float[] x, int n, boolean flush) {
            float[] h = step(convs[0], x, flush);
            for (int i = 0; i < blocks.length; i++) {
                // the residual branch keeps its length in step with its input (K=3/S=1 then 1x1)
                float[] t = step(convs[1 + 3 * i], SecoustiOps.elu(h), flush);
                t = step(convs[2 + 3 * i], SecoustiOps.elu(t), flush);
                SecoustiOps.addInPlace(t, h);
                h = step(convs[3 + 3 * i], SecoustiOps.elu(t), flush);
            }
            return step(convs[convs.length - 1], SecoustiOps.elu(h), flush);
        }
    }

    /**
     * Streaming state of a decoder ({@link #decoder}). Every convolution is causal with stride 1 and each
     * transposed convolution's output rows depend on its current and previous input rows only, so all mel frames
     * of a latent row come out in the same push, with no lookahead and nothing left for the end of the stream.
     */
    final class DecoderStream {
        private final ConvStream first, last;
        private final StreamingConvTranspose[] up;
        private final ConvStream[] blockA, blockB;

        DecoderStream() {
            if (!decoder) throw new IllegalStateException("this is the encoder; see EncoderStream");
            first = new ConvStream(Seanet.this.first);
            last = new ConvStream(Seanet.this.last);
            up = new StreamingConvTranspose[resample.length];
            blockA = new ConvStream[blocks.length];
            blockB = new ConvStream[blocks.length];
            for (int i = 0; i < blocks.length; i++) {
                CausalConv c = resample[i];
                up[i] = new StreamingConvTranspose(c.convT(), 0, c.convT().k() - c.stride());
                blockA[i] = new ConvStream(blocks[i].a());
                blockB[i] = new ConvStream(blocks[i].b());
            }
        }

        /** Latent rows {@code [n, latent]} in, mel frames {@code [n · hop, n_mels]} out. */
        float[] push(float[] lat) {
            float[] h = first.push(lat, lat.length / first.c.conv().in());
            for (int i = 0; i < blocks.length; i++) {
                h = up[i].push(SecoustiOps.elu(h), false);
                float[] t = blockA[i].push(SecoustiOps.elu(h), h.length / blockA[i].c.conv().in());
                t = SecoustiOps.elu(t);
                t = blockB[i].push(t, t.length / blockB[i].c.conv().in());
                SecoustiOps.addInPlace(t, h);
                h = t;
            }
            h = SecoustiOps.elu(h);
            return last.push(h, h.length / last.c.conv().in());
        }
    }
}
