package io.parla.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.parla.train.model.Ops.Pad;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * The FocalCodec forward pass (WavLM encoder, FocalEncoder compressor, binary spherical quantiser, FocalDecoder
 * decompressor with optional refiner, Vocos or WaveNeXt decoder) as differentiable functions of a parameter map
 * keyed by the official PyTorch tensor names. Offline (whole-sequence) semantics; the causal variants use the
 * same padding and chunked-attention masks as the official streaming code, so offline output equals streaming.
 */
public final class FocalNet {
    private final CodecConfig cfg;
    private final Map<String, NDArray> p;
    private BiConsumer<String, NDArray> tap = (n, x) -> {};

    public FocalNet(CodecConfig cfg, Map<String, NDArray> params) {
        this.cfg = cfg;
        this.p = params;
    }

    public CodecConfig config() { return cfg; }
    public Map<String, NDArray> params() { return p; }

    /** Receives intermediate outputs named by official module path (for parity tests and distillation). */
    public FocalNet tap(BiConsumer<String, NDArray> t) {
        this.tap = t == null ? (n, x) -> {} : t;
        return this;
    }

    private NDArray w(String name) {
        NDArray a = p.get(name);
        if (a == null) throw new IllegalStateException("missing parameter " + name);
        return a;
    }

    private NDArray opt(String name) { return p.get(name); }

    // ------------------------------------------------------------------------------------------ encoder

    /** sig [B, N] -> feats [B, T, dim]. */
    public NDArray encode(NDArray sig) {
        return encodeLayers(sig, null);
    }

    /** The convolutional front end, norm, feature projection and positional term (taps fire as usual). */
    public NDArray encodeFront(NDArray sig) {
        NDList none = null;
        return encodeUpTo(sig, none, 0);
    }

    /** GELU(conv_pos(x)) of this model (causal or not per its config): the term added to the projected features. */
    public NDArray positionalTerm(NDArray x) { return positional(x, cfg.enc().b("causal", false)); }

    /** Like {@link #encode}; when {@code layerOut} is given it receives the output of every transformer layer. */
    public NDArray encodeLayers(NDArray sig, NDList layerOut) {
        return encodeUpTo(sig, layerOut, cfg.enc().i("num_layers", 6));
    }

    private NDArray encodeUpTo(NDArray sig, NDList layerOut, int layers) {
        var e = cfg.enc();
        boolean causal = e.b("causal", false);
        int[] ks = e.ints("kernel_sizes", 10, 3, 3, 3, 3, 2, 2);
        int[] ss = e.ints("strides", 5, 2, 2, 2, 2, 2, 2);
        NDArray x = sig.expandDims(2); // [B, N, 1]
        for (int i = 0; i < ks.length; i++) {
            String pre = "encoder.feature_extractor.layers." + i;
            Pad pad = Pad.NONE;
            if (causal) pad = Pad.CAUSAL_REPLICATE;
            else if (x.getShape().get(1) < ks[i]) x = Ops.padTimeZeros(x, 0, (int) (ks[i] - x.getShape().get(1)));
            x = Ops.conv(x, w(pre + ".conv.weight"), null, ss[i], pad, 1);
            x = Ops.gelu(Ops.layerNorm(x, w(pre + ".norm.weight"), w(pre + ".norm.bias"), 1e-5f));
            tap.accept(pre, x);
        }
        x = Ops.layerNorm(x, w("encoder.norm.weight"), w("encoder.norm.bias"), 1e-5f);
        tap.accept("encoder.norm", x);
        x = Ops.linear(x, w("encoder.feature_proj.weight"), w("encoder.feature_proj.bias"));
        tap.accept("encoder.feature_proj", x);
        NDArray pos = positional(x, causal);
        tap.accept("encoder.encoder.positional_embedding", pos);
        x = x.add(pos);
        int T = (int) x.getShape().get(1);
        int heads = e.i("num_heads", 16);
        NDArray posBias = positionBias(x.getManager(), T, heads);
        NDArray mask = causal ? chunkMask(x.getManager(), T, 1 + e.i("lookahead_size", 3), e.i("window_size", 512)) : null;
        for (int l = 0; l < layers; l++) {
            x = transformerLayer(x, "encoder.encoder.layers." + l, heads, posBias, mask);
            tap.accept("encoder.encoder.layers." + l, x);
            if (layerOut != null) layerOut.add(x);
        }
        return x;
    }

    /** GELU(conv_pos(x)), the term added to x. */
    NDArray positional(NDArray x, boolean causal) {
        var e = cfg.enc();
        int groups = e.i("conv_pos_groups", 16);
        NDArray cw = w("encoder.encoder.positional_embedding.conv.weight");
        NDArray cb = w("encoder.encoder.positional_embedding.conv.bias");
        int k = (int) cw.getShape().get(2);
        NDArray y;
        if (causal) {
            y = Ops.conv(x, cw, cb, 1, Pad.CAUSAL_REPLICATE, groups);
        } else {
            int T = (int) x.getShape().get(1);
            y = Ops.conv(Ops.padTimeZeros(x, k / 2, k / 2), cw, cb, 1, Pad.NONE, groups);
            if (y.getShape().get(1) > T) y = y.get(":, 0:" + T + ", :");
        }
        return Ops.gelu(y);
    }

    /** T5-style bidirectional bucket of rel = key - query, computed in float32 like the reference. */
    public static int relPosBucket(int rel, int numBuckets, int maxDistance) {
        int nb = numBuckets / 2;
        int ret = rel > 0 ? nb : 0;
        int n = Math.abs(rel);
        int maxExact = nb / 2;
        if (n < maxExact) return ret + n;
        float a = (float) Math.log((float) n / (float) maxExact);
        float d = (float) Math.log((float) maxDistance / (float) maxExact);
        float q = a / d * (float) (nb - maxExact);
        int v = maxExact + (int) q;
        return ret + Math.min(v, nb - 1);
    }

    /** position_bias [1, H, T, T] gathered from the relative embedding (one-hot matmul, exact). */
    NDArray positionBias(NDManager m, int T, int heads) {
        var e = cfg.enc();
        NDArray emb = w("encoder.encoder.relative_embedding.weight"); // [nb, H]
        int nb = (int) emb.getShape().get(0);
        int maxDist = e.i("max_distance", 800);
        // buckets only depend on j - i: gather 2T-1 rows once, then expand with a one-hot [T*T, 2T-1]
        int[] idx = new int[2 * T - 1];
        for (int r = -(T - 1); r <= T - 1; r++) idx[r + T - 1] = relPosBucket(r, nb, maxDist);
        float[] oh = new float[(2 * T - 1) * nb];
        for (int r = 0; r < idx.length; r++) oh[r * nb + idx[r]] = 1f;
        NDArray rows = m.create(oh, new Shape(2 * T - 1, nb)).matMul(emb); // [2T-1, H]
        long[] sel = new long[T * T];
        for (int i = 0; i < T; i++) for (int j = 0; j < T; j++) sel[i * T + j] = j - i + T - 1;
        NDArray selArr = m.create(sel, new Shape(T * T));
        NDArray bias = rows.get(new ai.djl.ndarray.index.NDIndex("{}", selArr)); // [T*T, H]
        return bias.reshape(T, T, heads).transpose(2, 0, 1).expandDims(0);
    }

    /** Additive mask of the causal chunked sliding-window attention, [T, T] (0 or -inf). */
    static NDArray chunkMask(NDManager m, int T, int chunk, int window) {
        float[] mk = new float[T * T];
        for (int q = 0; q < T; q++) {
            int end = Math.min(T, (q / chunk + 1) * chunk);
            int start = Math.max(0, end - window);
            for (int k = 0; k < T; k++) mk[q * T + k] = (k >= start && k < end) ? 0f : Float.NEGATIVE_INFINITY;
        }
        return m.create(mk, new Shape(T, T));
    }

    NDArray transformerLayer(NDArray x, String pre, int H, NDArray posBias, NDArray mask) {
        long B = x.getShape().get(0), T = x.getShape().get(1), dim = x.getShape().get(2);
        long d = dim / H;
        NDArray h = Ops.layerNorm(x, w(pre + ".attention_norm.weight"), w(pre + ".attention_norm.bias"), 1e-5f);
        String a = pre + ".attention";
        NDArray qkv = Ops.linear(h, w(a + ".qkv_proj.weight"), w(a + ".qkv_proj.bias"));
        NDArray q = qkv.get(":, :, 0:" + dim).reshape(B, T, H, d).transpose(0, 2, 1, 3);
        NDArray k = qkv.get(":, :, " + dim + ":" + 2 * dim).reshape(B, T, H, d).transpose(0, 2, 1, 3);
        NDArray v = qkv.get(":, :, " + 2 * dim + ":").reshape(B, T, H, d).transpose(0, 2, 1, 3);
        NDArray r = Ops.linear(h.reshape(B, T, H, d), w(a + ".gru_rel_pos_linear.weight"), w(a + ".gru_rel_pos_linear.bias"));
        NDArray g = ai.djl.nn.Activation.sigmoid(r.reshape(B, T, H, 2, 4).sum(new int[] {4}));
        NDArray ga = g.get(":, :, :, 0");
        NDArray gb = g.get(":, :, :, 1");
        NDArray c = w(a + ".gru_rel_pos_const").reshape(H);
        NDArray gate = ga.mul(gb.mul(c).sub(1f)).add(2f).transpose(0, 2, 1).expandDims(3); // [B, H, T, 1]
        NDArray bias = gate.mul(posBias);
        if (mask != null) bias = bias.add(mask);
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div((float) Math.sqrt(d)).add(bias);
        NDArray o = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(B, T, dim);
        x = x.add(Ops.linear(o, w(a + ".out_proj.weight"), w(a + ".out_proj.bias")));
        NDArray f = Ops.layerNorm(x, w(pre + ".feed_forward_norm.weight"), w(pre + ".feed_forward_norm.bias"), 1e-5f);
        f = Ops.linear(Ops.gelu(Ops.linear(f, w(pre + ".feed_forward.in_proj.weight"), w(pre + ".feed_forward.in_proj.bias"))),
                w(pre + ".feed_forward.out_proj.weight"), w(pre + ".feed_forward.out_proj.bias"));
        return x.add(f);
    }

    // ------------------------------------------------------------------------------- focal blocks

    private NDArray norm(NDArray x, String pre) {
        NDArray alpha = opt(pre + ".alpha");
        if (alpha != null) return Ops.dyt(x, alpha);
        return Ops.layerNorm(x, w(pre + ".weight"), w(pre + ".bias"), 1e-5f);
    }

    NDArray focalBlock(NDArray x, String pre, CodecConfig.Section s, boolean causal, int window) {
        NDArray m = modulation(norm(x, pre + ".modulation_norm"), pre + ".modulation", s, causal, window);
        tap.accept(pre + ".modulation", m);
        x = x.add(m);
        NDArray f = norm(x, pre + ".feed_forward_norm");
        f = Ops.linear(Ops.gelu(Ops.linear(f, w(pre + ".feed_forward.in_proj.weight"), w(pre + ".feed_forward.in_proj.bias"))),
                w(pre + ".feed_forward.out_proj.weight"), w(pre + ".feed_forward.out_proj.bias"));
        x = x.add(f);
        tap.accept(pre, x);
        return x;
    }

    NDArray modulation(NDArray x, String pre, CodecConfig.Section s, boolean causal, int window) {
        long C = x.getShape().get(2);
        int L = s.i("focal_level", 2);
        NDArray y = Ops.linear(x, w(pre + ".in_proj.weight"), w(pre + ".in_proj.bias"));
        NDArray q = y.get(":, :, 0:" + C);
        NDArray ctx = y.get(":, :, " + C + ":" + 2 * C);
        NDArray gates = y.get(":, :, " + 2 * C + ":");
        NDArray all = null;
        for (int l = 0; l < L; l++) {
            ctx = Ops.gelu(Ops.conv(ctx, w(pre + ".layers." + l + ".0.weight"), w(pre + ".layers." + l + ".0.bias"), 1,
                    causal ? Pad.CAUSAL_REPLICATE : Pad.SAME_ZERO, (int) C));
            NDArray t = ctx.mul(gates.get(":, :, " + l + ":" + (l + 1)));
            all = all == null ? t : all.add(t);
        }
        NDArray gl;
        if (causal) {
            gl = Ops.gelu(Ops.conv(ctx, w(pre + ".layers." + L + ".0.weight"), w(pre + ".layers." + L + ".0.bias"), 1,
                    Pad.CAUSAL_REPLICATE, (int) C));
        } else {
            gl = Ops.gelu(ctx.mean(new int[] {1}, true));
        }
        all = all == null ? gl.mul(gates.get(":, :, " + L + ":" + (L + 1)))
                : all.add(gl.mul(gates.get(":, :, " + L + ":" + (L + 1))));
        if (s.b("normalize_modulator", false)) all = all.div(L + 1f);
        NDArray cw = w(pre + ".context_proj.weight");
        NDArray mod = Ops.linear(all, cw.reshape(cw.getShape().get(0), cw.getShape().get(1)), w(pre + ".context_proj.bias"));
        return Ops.linear(q.mul(mod), w(pre + ".out_proj.weight"), w(pre + ".out_proj.bias"));
    }

    // ------------------------------------------------------------------------- compressor / BSQ

    /** feats [B, T, dim] -> raw latents [B, T', D] (before L2 normalisation). */
    public NDArray compress(NDArray x) {
        var st = cfg.compStack();
        var s = st.s();
        boolean causal = st.causal();
        int[] hid = st.hidden(), f = st.factors();
        int window = st.window();
        for (int i = 0; i < hid.length; i++) {
            String pre = "compressor.layers." + i;
            int fi = f[i];
            if (causal) {
                x = Ops.padLeftReplicate(x, fi - 1);
            } else {
                int T = (int) x.getShape().get(1);
                int rem = Math.floorMod(T - fi, fi);
                if (rem > 0) x = Ops.padTimeZeros(x, 0, fi - rem);
            }
            x = Ops.conv(x, w(pre + ".downscale.downscale.weight"), w(pre + ".downscale.downscale.bias"), fi, Pad.NONE, 1);
            x = Ops.snake(x, w(pre + ".downscale.activation.alpha"));
            tap.accept(pre + ".downscale", x);
            x = focalBlock(x, pre + ".focal_block", s, causal, window);
            tap.accept(pre, x);
        }
        x = Ops.linear(x, w("compressor.out_proj.weight"), w("compressor.out_proj.bias"));
        tap.accept("compressor.out_proj", x);
        return x;
    }

    /** feats -> L2-normalised latents. */
    public NDArray featsToLats(NDArray feats) { return Ops.l2normalize(compress(feats)); }

    /** Binary spherical quantisation: sign -> +-1/sqrt(D) (strict > 0). No gradient. */
    public static NDArray quantize(NDArray lats) {
        long D = lats.getShape().get(lats.getShape().dimension() - 1);
        float v = (float) (1.0 / Math.sqrt(D));
        return lats.gt(0f).toType(DataType.FLOAT32, false).mul(2f * v).sub(v);
    }

    /** Straight-through estimator: forward = codes, backward = identity on lats. */
    public static NDArray quantizeSte(NDArray lats) {
        NDArray codes = quantize(lats.stopGradient());
        return lats.add(codes.sub(lats).stopGradient());
    }

    /** Tokens (dimension 0 = most significant bit) of codes or lats [B, T, D]. */
    public static long[][] tokens(NDArray lats) {
        Shape s = lats.getShape();
        int B = (int) s.get(0), T = (int) s.get(1), D = (int) s.get(2);
        float[] a = lats.toFloatArray();
        long[][] t = new long[B][T];
        for (int b = 0; b < B; b++)
            for (int i = 0; i < T; i++) {
                long tok = 0;
                for (int d = 0; d < D; d++) tok = (tok << 1) | (a[(b * T + i) * D + d] > 0 ? 1 : 0);
                t[b][i] = tok;
            }
        return t;
    }

    // --------------------------------------------------------------------------- decompressor

    /** codes [B, T', D] -> qfeats [B, T, dim] (including the refiner when present). */
    public NDArray decompress(NDArray codes) {
        var st = cfg.decompStack();
        var s = st.s();
        boolean causal = st.causal();
        int[] hid = st.hidden(), u = st.factors();
        int window = st.window(), lastWindow = st.lastWindow();
        NDArray x = Ops.linear(codes, w("decompressor.in_proj.weight"), w("decompressor.in_proj.bias"));
        tap.accept("decompressor.in_proj", x);
        for (int i = 0; i < hid.length; i++) {
            String pre = "decompressor.layers." + i;
            x = focalBlock(x, pre + ".focal_block", s, causal, i == hid.length - 1 ? lastWindow : window);
            int T = (int) x.getShape().get(1);
            NDArray xin = causal ? Ops.padLeftReplicate(x, u[i] - 1) : x;
            NDArray y = Ops.convTranspose(Ops.snake(xin, w(pre + ".upscale.activation.alpha")),
                    w(pre + ".upscale.upscale.weight"), w(pre + ".upscale.upscale.bias"), u[i]);
            if (causal && u[i] > 1) {
                long Ty = y.getShape().get(1);
                y = y.get(":, " + (Ty - (long) T * u[i]) + ":, :");
            }
            x = y;
            tap.accept(pre, x);
        }
        if (hasRefiner()) {
            x = refine(x, 1 + s.i("lookahead_size", 3));
            tap.accept("decompressor.refiner", x);
        }
        return x;
    }

    public boolean hasRefiner() {
        var s = cfg.decomp();
        return s.b("causal", false) && s.i("lookahead_size", 3) > 0 && p.containsKey("decompressor.refiner.in_proj.weight");
    }

    NDArray refine(NDArray x, int chunk) {
        long B = x.getShape().get(0), T = x.getShape().get(1), E = x.getShape().get(2);
        long groups = (T + chunk - 1) / chunk;
        NDArray xp = Ops.padTimeZeros(x, 0, (int) (groups * chunk - T));
        NDArray v = xp.reshape(B, groups, chunk * E);
        NDArray y = Ops.linear(Ops.gelu(Ops.linear(v, w("decompressor.refiner.in_proj.weight"), w("decompressor.refiner.in_proj.bias"))),
                w("decompressor.refiner.out_proj.weight"), w("decompressor.refiner.out_proj.bias"));
        NDArray out = xp.add(y.reshape(B, groups * chunk, E));
        return groups * chunk == T ? out : out.get(":, 0:" + T + ", :");
    }

    // ------------------------------------------------------------------------------ decoder

    /** feats [B, T, dim] -> signal [B, T*hop]. */
    public NDArray decode(NDArray feats) {
        var s = cfg.dec();
        boolean causal = s.b("causal", false);
        boolean vocos = cfg.decoderName().equals("Vocos");
        Pad pad = !causal ? Pad.SAME_ZERO : vocos ? Pad.CAUSAL_REPLICATE : Pad.CAUSAL_ZERO;
        String bb = "decoder.backbone";
        NDArray x = Ops.conv(feats, w(bb + ".embedding.weight"), w(bb + ".embedding.bias"), 1, pad, 1);
        tap.accept(bb + ".embedding", x.transpose(0, 2, 1));
        x = Ops.layerNorm(x, w(bb + ".input_norm.weight"), w(bb + ".input_norm.bias"), 1e-6f);
        tap.accept(bb + ".input_norm", x);
        int layers = s.i("num_layers", 8);
        for (int l = 0; l < layers; l++) {
            String pre = bb + ".layers." + l;
            NDArray y = Ops.conv(x, w(pre + ".dwconv.weight"), w(pre + ".dwconv.bias"), 1, pad, (int) x.getShape().get(2));
            y = Ops.layerNorm(y, w(pre + ".norm.weight"), w(pre + ".norm.bias"), 1e-6f);
            y = Ops.linear(Ops.gelu(Ops.linear(y, w(pre + ".pwconv1.weight"), w(pre + ".pwconv1.bias"))),
                    w(pre + ".pwconv2.weight"), w(pre + ".pwconv2.bias"));
            x = x.add(y.mul(w(pre + ".gamma")));
            tap.accept(pre, x);
        }
        x = Ops.layerNorm(x, w(bb + ".output_norm.weight"), w(bb + ".output_norm.bias"), 1e-6f);
        tap.accept(bb, x);
        NDArray h = Ops.linear(x, w("decoder.head.proj.weight"), w("decoder.head.proj.bias"));
        tap.accept("decoder.head.proj", h);
        long B = h.getShape().get(0), T = h.getShape().get(1);
        if (!vocos) return h.clip(-1f, 1f).reshape(B, T * h.getShape().get(2));
        return Istft.vocosHead(h, s.i("n_fft", 1024), s.i("hop_length", 320), causal, s.i("crossfade_length", 0));
    }

    /** Full offline chain sig -> rec with the quantiser bypassed ({@code quantize=false}) or straight-through. */
    public NDArray reconstruct(NDArray sig, boolean quantize) {
        NDArray lats = featsToLats(encode(sig));
        NDArray q = quantize ? quantizeSte(lats) : lats;
        return decode(decompress(q));
    }

    static NDArray cat(NDArray a, NDArray b, int axis) { return NDArrays.concat(new NDList(a, b), axis); }
}
