package io.parla.secousticodec;

/**
 * One of SecoustiCodec's four streaming transformers ({@code <prefix>.transformer.layers.L.*}):
 * pre-norm layers with bias-free fused QKV projection, interleaved RoPE at absolute positions, causal
 * sliding-window attention, LayerScale on both residual branches and a bias-free erf-GELU FFN.
 * Input and output {@code [T, D]}.
 */
final class Transformer {
    private record Layer(float[] norm1W, float[] norm1B, float[] inProj, float[] outProj, float[] norm2W,
                         float[] norm2B, float[] lin1, float[] lin2, float[] scale1, float[] scale2) {}

    private final Layer[] layers;
    private final int d, heads, headDim, ffn, context;
    private final float eps;
    private final float[] invFreq;

    Transformer(Weights w, String prefix, SecoustiConfig cfg) {
        SecoustiConfig.Transformer tc = cfg.transformer();
        d = cfg.latentDim();
        heads = tc.numHeads();
        headDim = d / heads;
        ffn = tc.dimFeedforward();
        context = tc.context();
        eps = (float) tc.normEps();
        layers = new Layer[tc.numLayers()];
        for (int l = 0; l < layers.length; l++) {
            String p = prefix + ".transformer.layers." + l + ".";
            layers[l] = new Layer(w.take(p + "norm1.weight", d), w.take(p + "norm1.bias", d),
                    w.take(p + "self_attn.in_proj_weight", 3 * d, d), w.take(p + "self_attn.out_proj.weight", d, d),
                    w.take(p + "norm2.weight", d), w.take(p + "norm2.bias", d),
                    w.take(p + "linear1.weight", ffn, d), w.take(p + "linear2.weight", d, ffn),
                    w.take(p + "layer_scale_1.scale", d), w.take(p + "layer_scale_2.scale", d));
        }
        // RoPE frequencies as the reference computes them: exp(i * (-ln(max_period) * 2 / D)) in float32
        invFreq = new float[headDim / 2];
        float c = (float) (-Math.log(tc.maxPeriod()) * 2 / headDim);
        for (int i = 0; i < invFreq.length; i++) invFreq[i] = (float) Math.exp((float) i * c);
    }

    int context() { return context; }

    /** Offline forward over frames at absolute positions 0..T-1, window {@code context}. */
    float[] forward(float[] x, int T) {
        return forward(x, T, null, 0, context);
    }

    /**
     * Forward of {@code T} new frames at absolute positions {@code offset..offset+T-1}. With a
     * {@link KvCache} the new keys/values are appended to it and queries also see cached frames;
     * {@code window} is the number of frames (including itself) a query may see.
     */
    float[] forward(float[] x, int T, KvCache cache, int offset, int window) {
        float[] h = x.clone();
        for (int l = 0; l < layers.length; l++) {
            Layer L = layers[l];
            float[] y = SecoustiOps.layerNorm(h, T, d, L.norm1W, L.norm1B, eps);
            float[] qkv = SecoustiOps.linear(y, T, d, L.inProj, null, 3 * d);
            rope(qkv, T, 0, offset);
            rope(qkv, T, d, offset);
            float[] attn;
            if (cache == null) {
                attn = attention(qkv, T, qkv, 3 * d, 0, T, window);
            } else {
                cache.append(l, qkv, T, d);
                attn = attention(qkv, T, cache.kv[l], 2 * d, cache.len[l] - T, cache.len[l], window);
            }
            float[] o = SecoustiOps.linear(attn, T, d, L.outProj, null, d);
            addScaled(h, o, L.scale1, T);
            y = SecoustiOps.layerNorm(h, T, d, L.norm2W, L.norm2B, eps);
            float[] f = SecoustiOps.linear(y, T, d, L.lin1, null, ffn);
            for (int i = 0; i < f.length; i++) f[i] = SecoustiOps.gelu(f[i]);
            float[] f2 = SecoustiOps.linear(f, T, ffn, L.lin2, null, d);
            addScaled(h, f2, L.scale2, T);
        }
        if (cache != null) cache.advance(T, window);
        return h;
    }

    private void addScaled(float[] h, float[] v, float[] scale, int T) {
        for (int t = 0; t < T; t++)
            for (int c = 0; c < d; c++) h[t * d + c] += scale[c] * v[t * d + c];
    }

    /** Rotates pairs (2i, 2i+1) of every head of Q (col0 = 0) or K (col0 = D) in a {@code [T, 3D]} buffer. */
    private void rope(float[] qkv, int T, int col0, int offset) {
        int stride = 3 * d;
        for (int t = 0; t < T; t++) {
            float pos = offset + t;
            for (int i = 0; i < invFreq.length; i++) {
                float ang = invFreq[i] * pos;
                float cs = (float) Math.cos(ang), sn = (float) Math.sin(ang);
                for (int hd = 0; hd < heads; hd++) {
                    int j = t * stride + col0 + hd * headDim + 2 * i;
                    float a = qkv[j], b = qkv[j + 1];
                    qkv[j] = a * cs - b * sn;
                    qkv[j + 1] = a * sn + b * cs;
                }
            }
        }
    }

    /**
     * Attention of {@code T} queries (in {@code q [T, 3D]}, columns 0..D) over keys/values stored in
     * {@code kv} rows (row stride {@code kvStride}; keys at column {@code kvStride - 2D}, values right
     * after). Query t sits at row {@code qRow0 + t} of the key rows; it sees rows
     * {@code [max(0, qRow0 + t - window + 1), qRow0 + t]}.
     */
    private float[] attention(float[] q, int T, float[] kv, int kvStride, int qRow0, int rows, int window) {
        float[] out = new float[T * d];
        int kCol = kvStride - 2 * d, vCol = kvStride - d;
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[] sc = new float[Math.min(window, rows)];
        for (int t = 0; t < T; t++) {
            int qr = qRow0 + t;
            int lo = Math.max(0, qr - window + 1);
            for (int hd = 0; hd < heads; hd++) {
                int qo = t * 3 * d + hd * headDim;
                float max = Float.NEGATIVE_INFINITY;
                for (int j = lo; j <= qr; j++) {
                    float s = SecoustiOps.dot(q, qo, kv, j * kvStride + kCol + hd * headDim, headDim) * scale;
                    sc[j - lo] = s;
                    if (s > max) max = s;
                }
                float sum = 0f;
                for (int j = lo; j <= qr; j++) {
                    float e = (float) Math.exp(sc[j - lo] - max);
                    sc[j - lo] = e;
                    sum += e;
                }
                int oo = t * d + hd * headDim;
                for (int j = lo; j <= qr; j++) {
                    float p = sc[j - lo] / sum;
                    int vo = j * kvStride + vCol + hd * headDim;
                    for (int e = 0; e < headDim; e++) out[oo + e] += p * kv[vo + e];
                }
            }
        }
        return out;
    }

    /**
     * Per-layer key/value history for chunked (streaming) use: rows {@code [K | V]} of width 2D at absolute
     * frame indices; frames that can no longer be seen are dropped as the stream advances.
     */
    static final class KvCache {
        private final int d;
        private final float[][] kv;
        private final int[] len;

        KvCache(int layers, int d) {
            this.d = d;
            kv = new float[layers][0];
            len = new int[layers];
        }

        private void append(int l, float[] qkv, int T, int d) {
            float[] n = new float[(len[l] + T) * 2 * d];
            System.arraycopy(kv[l], 0, n, 0, len[l] * 2 * d);
            for (int t = 0; t < T; t++)
                System.arraycopy(qkv, t * 3 * d + d, n, (len[l] + t) * 2 * d, 2 * d);
            kv[l] = n;
            len[l] += T;
        }

        private void advance(int T, int window) {
            int keep = Math.min(len[0], window - 1);
            int drop = len[0] - keep;
            if (drop <= 0) return;
            for (int l = 0; l < kv.length; l++) {
                float[] n = new float[keep * 2 * d];
                System.arraycopy(kv[l], drop * 2 * d, n, 0, keep * 2 * d);
                kv[l] = n;
                len[l] = keep;
            }
        }
    }

    /** A fresh cache for this transformer. */
    KvCache newCache() {
        return new KvCache(layers.length, d);
    }
}
