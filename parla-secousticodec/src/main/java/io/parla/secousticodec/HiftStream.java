package io.parla.secousticodec;

/**
 * The HiFT vocoder run on mel frames that arrive in chunks, emitting each waveform sample as soon as every
 * input it depends on has arrived — the same samples, bit for bit, as {@link HiftVocoder#forward} on the whole
 * mel. Nothing is recomputed: every layer keeps just the input rows its next outputs still need.
 *
 * <p>State per layer: symmetric ("same") convolutions keep their unused input tail ({@link StreamingConv}; each
 * lags its input by its right padding), the upsampling transposed convolutions their last input row
 * ({@link StreamingConvTranspose}), the harmonic source its running phase sums ({@link HiftVocoder.Source}), the
 * STFT/iSTFT their sample and overlap-add tails ({@link ShortTimeFourier}). Branches that are added (ResBlock
 * residuals, source + main path, the mean of the parallel ResBlocks) wait for each other in {@link RowQueue}s.
 * Randomness comes from the {@link Excitation} at absolute sample positions, so it matches the offline draw.
 *
 * <p>Lookahead: output sample n depends on mel frames up to {@link #lastFrameNeeded(HiftVocoder, long)};
 * {@link #lookaheadFrames(HiftVocoder)} is the worst case beyond the sample's own frame (19 for the released
 * layout). Not thread-safe; one instance per stream.
 */
final class HiftStream {
    private final HiftVocoder v;
    private final StreamingConv[] f0Convs;
    private final HiftVocoder.Source source;
    private final ShortTimeFourier.Analysis analysis;
    private final StreamingConv convPre, convPost;
    private final Stage[] stages;
    private final ShortTimeFourier.Synthesis synthesis;
    private boolean ended;

    HiftStream(HiftVocoder v, Excitation ex) {
        this.v = v;
        f0Convs = new StreamingConv[v.f0Convs.length];
        for (int i = 0; i < f0Convs.length; i++) f0Convs[i] = same(v.f0Convs[i], 1);
        source = v.new Source(ex);
        analysis = v.stft.new Analysis();
        convPre = same(v.convPre, 1);
        stages = new Stage[v.ups.length];
        for (int i = 0; i < stages.length; i++) stages[i] = new Stage(i);
        convPost = same(v.convPost, 1);
        synthesis = v.stft.new Synthesis((float) v.vc.audioLimit());
    }

    private static StreamingConv same(SecoustiOps.Conv c, int dil) {
        int pad = dil * (c.k() - 1) / 2;
        return new StreamingConv(c, 1, dil, pad, pad);
    }

    /**
     * Feeds mel frames {@code [n, n_mels]} ({@code n} may be 0); returns the samples that became final.
     * With {@code end} the stream is closed and the rest of the waveform is returned.
     */
    float[] push(float[] mel, boolean end) {
        if (ended) throw new IllegalStateException("vocoder stream already ended");
        ended = end;
        float[] h = mel;
        for (StreamingConv c : f0Convs) h = SecoustiOps.elu(c.push(h, end));
        float[] f0 = v.f0Head(h, h.length / v.vc.f0CondChannels());
        float[] spec = analysis.push(source.next(f0), end);
        float[] x = convPre.push(mel, end);
        for (Stage s : stages) x = s.push(x, spec, end);
        x = SecoustiOps.leakyRelu(x, 0.01f);
        return synthesis.push(convPost.push(x, end), end);
    }

    /** One upsampling stage: LeakyReLU → transposed conv (→ reflection pad) → + source branch → mean of ResBlocks. */
    private final class Stage {
        private final int channels;
        private final boolean reflect;  // the last stage pads one row on the left by reflection
        private final StreamingConvTranspose up;
        private final StreamingConv down;
        private final ResBlockStream src;
        private final ResBlockStream[] blocks;
        private final RowQueue mainQ, srcQ;
        private final RowQueue[] blockQ;
        private float[] firstRow;  // reflection pad: row 0 waits for row 1
        private long mainRows;

        Stage(int i) {
            int u = v.vc.upsampleRates()[i], k = v.vc.upsampleKernelSizes()[i], pad = (k - u) / 2;
            up = new StreamingConvTranspose(v.ups[i], pad, pad);
            channels = v.ups[i].out();
            reflect = i == v.ups.length - 1;
            down = new StreamingConv(v.downs[i], v.downStride[i], 1, v.downPad[i], v.downPad[i]);
            src = new ResBlockStream(v.srcBlocks[i]);
            int nk = v.vc.resblockKernelSizes().length;
            blocks = new ResBlockStream[nk];
            blockQ = new RowQueue[nk];
            for (int j = 0; j < nk; j++) {
                blocks[j] = new ResBlockStream(v.blocks[i * nk + j]);
                blockQ[j] = new RowQueue(channels);
            }
            mainQ = new RowQueue(channels);
            srcQ = new RowQueue(channels);
        }

        float[] push(float[] x, float[] spec, boolean end) {
            x = up.push(SecoustiOps.leakyRelu(x, (float) v.vc.lreluSlope()), end);
            if (reflect) x = reflectPad(x);
            mainQ.add(x);
            srcQ.add(src.push(down.push(spec, end), end));
            int n = Math.min(mainQ.size(), srcQ.size());
            float[] sum = mainQ.take(n);
            SecoustiOps.addInPlace(sum, srcQ.take(n));
            for (int j = 0; j < blocks.length; j++) blockQ[j].add(blocks[j].push(sum, end));
            int m = Integer.MAX_VALUE;
            for (RowQueue q : blockQ) m = Math.min(m, q.size());
            float[] acc = blockQ[0].take(m);
            for (int j = 1; j < blocks.length; j++) SecoustiOps.addInPlace(acc, blockQ[j].take(m));
            for (int q = 0; q < acc.length; q++) acc[q] /= blocks.length;
            if (end && (mainQ.size() != 0 || srcQ.size() != 0 || blockQ[0].size() != 0))
                throw new IllegalStateException("vocoder stage: source branch and main path have different lengths ("
                        + mainQ.size() + " vs " + srcQ.size() + " rows left)");
            return acc;
        }

        /** ReflectionPad1d((1, 0)) on a stream: emits row 1, then rows 0, 1, 2, ... */
        private float[] reflectPad(float[] x) {
            int C = channels, n = x.length / C;
            if (mainRows >= 2) {
                mainRows += n;
                return x;
            }
            float[] have = firstRow == null ? x : concat(firstRow, x);
            mainRows += n;
            if (have.length < 2 * C) {
                firstRow = have;
                return new float[0];
            }
            firstRow = null;
            float[] out = new float[have.length + C];
            System.arraycopy(have, C, out, 0, C);
            System.arraycopy(have, 0, out, C, have.length);
            return out;
        }
    }

    /** A Snake ResBlock on a stream: each dilation's residual input waits for its two convolutions. */
    private static final class ResBlockStream {
        private final HiftVocoder.ResBlock b;
        private final StreamingConv[] c1, c2;
        private final RowQueue[] skip;

        ResBlockStream(HiftVocoder.ResBlock b) {
            this.b = b;
            int n = b.dil().length, ch = b.c1()[0].in();
            c1 = new StreamingConv[n];
            c2 = new StreamingConv[n];
            skip = new RowQueue[n];
            for (int j = 0; j < n; j++) {
                c1[j] = same(b.c1()[j], b.dil()[j]);
                c2[j] = same(b.c2()[j], 1);
                skip[j] = new RowQueue(ch);
            }
        }

        float[] push(float[] x, boolean end) {
            int ch = b.c1()[0].in();
            for (int j = 0; j < c1.length; j++) {
                skip[j].add(x);
                float[] t = SecoustiOps.snake(x, x.length / ch, b.a1()[j]);
                t = c1[j].push(t, end);
                t = SecoustiOps.snake(t, t.length / ch, b.a2()[j]);
                t = c2[j].push(t, end);
                SecoustiOps.addInPlace(t, skip[j].take(t.length / ch));
                x = t;
            }
            return x;
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    // ------------------------------------------------------------------ receptive field to the right

    /**
     * The last mel frame that output sample {@code n} depends on, away from the end of the signal (where the
     * padding only removes dependencies), derived layer by layer from the architecture:
     * iSTFT frame {@code F = (n + nFft/2) / hop}; conv_post adds its right pad; per stage (last first) the widest
     * ResBlock adds its right reach; the source branch adds its ResBlock's reach and the strided
     * {@code source_downs} window, ending at an STFT frame whose last sample sets the f0 frame (+ the f0
     * predictor's right pads); the main branch goes through the reflection pad and the transposed convolution
     * (output row o needs input rows up to {@code (o + padding) / stride}) and finally conv_pre's right pad.
     */
    static long lastFrameNeeded(HiftVocoder v, long n) {
        int nk = v.vc.resblockKernelSizes().length;
        long row = (n + v.nFft / 2) / v.hop + (v.convPost.k() - 1) / 2;
        long stftFrame = 0;
        for (int i = v.ups.length - 1; i >= 0; i--) {
            int reach = 0;
            for (int j = 0; j < nk; j++) reach = Math.max(reach, v.blocks[i * nk + j].rightReach());
            long r = row + reach;
            long srcRow = r + v.srcBlocks[i].rightReach();
            stftFrame = Math.max(stftFrame, srcRow * v.downStride[i] - v.downPad[i] + v.downs[i].k() - 1);
            if (i == v.ups.length - 1) r = Math.max(r - 1, 1);  // x'[m] = x[m-1], x'[0] = x[1]
            int u = v.vc.upsampleRates()[i], pad = (v.vc.upsampleKernelSizes()[i] - u) / 2;
            row = (r + pad) / u;
        }
        long mel = row + (v.convPre.k() - 1) / 2;
        long lastSample = stftFrame * v.hop + v.nFft / 2 - 1;
        long f0Reach = 0;
        for (SecoustiOps.Conv c : v.f0Convs) f0Reach += (c.k() - 1) / 2;
        return Math.max(mel, lastSample / v.samplesPerFrame() + f0Reach);
    }

    /** Mel frames beyond its own frame that the last sample of a frame needs (worst case over the frame). */
    static int lookaheadFrames(HiftVocoder v) {
        int spf = v.samplesPerFrame();
        long m = 1000;  // any frame away from the start; the pattern repeats every frame
        long worst = 0;
        for (int r = 0; r < spf; r++) worst = Math.max(worst, lastFrameNeeded(v, m * spf + r) - m);
        return Math.toIntExact(worst);
    }
}
