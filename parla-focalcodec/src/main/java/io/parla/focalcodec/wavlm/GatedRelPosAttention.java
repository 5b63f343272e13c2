package io.parla.focalcodec.wavlm;

import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.MatMul;
import io.parla.core.kernels.Weight;
import io.parla.core.tensor.DType;

import java.lang.foreign.MemorySegment;
import io.parla.core.kernels.Parallel;
import io.parla.core.kernels.VectorOps;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;

/**
 * {@code encoder.encoder.layers.l.attention}: multi-head attention whose relative-position bias is scaled by
 * a per-head, per-query gate computed from the normalised input (WavLM's gated relative position bias).
 *
 * <p>Causal models attend over chunks of {@code C = 1 + lookahead} frames: a query sees all of its own chunk
 * (the lookahead) and the {@code window} frames that end at its chunk's end. A call with at most C new
 * frames sees all cached and new keys (the streaming case).
 */
final class GatedRelPosAttention {
    private final int dim, heads, headDim;
    private final Linear qkvProj, outProj;
    private final float[] gateW, gateB, gateConst; // [8, d], [8], [H]
    private final boolean causal;
    private final int window, chunk;

    GatedRelPosAttention(StateDict sd, String prefix, int dim, int heads, boolean causal, int window, int chunk) {
        this.dim = dim;
        this.heads = heads;
        this.headDim = dim / heads;
        this.causal = causal;
        this.window = window;
        this.chunk = chunk;
        this.qkvProj = new Linear(sd, prefix + ".qkv_proj", dim, 3 * dim, true);
        this.outProj = new Linear(sd, prefix + ".out_proj", dim, dim, true);
        this.gateW = sd.vector(prefix + ".gru_rel_pos_linear.weight", StateDict.Kind.WEIGHT, 8, headDim);
        this.gateB = sd.vector(prefix + ".gru_rel_pos_linear.bias", StateDict.Kind.BIAS, 8);
        this.gateConst = sd.vector(prefix + ".gru_rel_pos_const", StateDict.Kind.SCALE, 1, heads, 1, 1);
    }

    int cacheCapacity() {
        return window - chunk;
    }

    /**
     * @param h     normalised input {@code [T, dim]}
     * @param cache keys/values of earlier calls (causal only), updated on return; null for non-causal
     */
    float[] forward(float[] h, int frames, RelativePositionBias rel, KVCache cache) {
        float[] qkv = qkvProj.forward(h, frames);
        int past = cache == null ? 0 : cache.length;
        int total = past + frames;
        float[] gates = gates(h, frames);
        boolean masked = causal && frames > chunk;
        float[] out = new float[frames * dim];
        float scale = (float) (1.0 / Math.sqrt(headDim));
        float[][] biasRows = new float[heads][];
        for (int hd = 0; hd < heads; hd++) biasRows[hd] = rel.biasByOffset(hd, total);
        int[] keyRow = new int[total];   // offsets of logical key rows: cached rows in the ring, then new rows
        for (int j = 0; j < past; j++) keyRow[j] = cache.row(j);
        for (int t = 0; t < frames; t++) keyRow[past + t] = t * 3 * dim;
        int stride3 = 3 * dim;
        VectorOps ops = Kernels.ops();
        if (past == 0 && frames >= 16) {
            wholeSequence(qkv, frames, gates, masked, biasRows, scale, out);
            return outProj.forward(out, frames);
        }
        Parallel.forRange(heads * frames, 8, (from, to) -> {
            float[] scores = new float[total];
            for (int idx = from; idx < to; idx++) {
                int hd = idx / frames, t = idx % frames;
                int qi = past + t;
                int lo = 0, hi = total;
                if (masked) {
                    hi = past + Math.min(frames, (t / chunk + 1) * chunk);
                    lo = Math.max(0, hi - window);
                }
                int qOff = t * stride3 + hd * headDim;
                float g = gates[t * heads + hd];
                float[] br = biasRows[hd];
                float max = Float.NEGATIVE_INFINITY;
                for (int j = lo; j < hi; j++) {
                    boolean cached = j < past;
                    float[] ka = cached ? cache.keys : qkv;
                    int kr = keyRow[j] + hd * headDim + (cached ? 0 : dim);
                    float s = ops.dot(qkv, qOff, ka, kr, headDim) * scale + g * br[j - qi + total];
                    scores[j] = s;
                    if (s > max) max = s;
                }
                float inv = 1f / ops.expShifted(scores, lo, hi - lo, max);
                int o = t * dim + hd * headDim;
                for (int j = lo; j < hi; j++) {
                    float p = scores[j] * inv;
                    boolean cached = j < past;
                    float[] va = cached ? cache.values : qkv;
                    int vr = keyRow[j] + hd * headDim + (cached ? 0 : 2 * dim);
                    ops.axpy(p, va, vr, out, o, headDim);
                }
            }
        });
        if (cache != null) cache.append(qkv, dim, qkv, 2 * dim, stride3, frames);
        return outProj.forward(out, frames);
    }

    /**
     * Attention over a whole sequence (offline) as matrix products per head: scores = Q K^T through the matmul
     * kernel, gated relative bias and the chunk mask added, softmax, then P V.
     */
    private void wholeSequence(float[] qkv, int frames, float[] gates, boolean masked, float[][] biasRows, float scale,
                               float[] out) {
        VectorOps ops = Kernels.ops();
        MatMul mm = Kernels.matmul();
        int d = headDim;
        for (int hd = 0; hd < heads; hd++) {
            float[] q = new float[frames * d], k = new float[frames * d], vt = new float[d * frames];
            for (int t = 0; t < frames; t++) {
                int r = t * 3 * dim + hd * d;
                System.arraycopy(qkv, r, q, t * d, d);
                System.arraycopy(qkv, r + dim, k, t * d, d);
                for (int e = 0; e < d; e++) vt[e * frames + t] = qkv[r + 2 * dim + e];
            }
            float[] scores = new float[frames * frames];
            mm.linear(q, 0, d, frames, d, heapWeight(k, frames, d), null, scores, 0, frames, frames);
            float[] br = biasRows[hd];
            final int head = hd;
            Parallel.forRange(frames, 16, (t0, t1) -> {
                for (int t = t0; t < t1; t++) {
                    int lo = 0, hi = frames;
                    if (masked) {
                        hi = Math.min(frames, (t / chunk + 1) * chunk);
                        lo = Math.max(0, hi - window);
                    }
                    float g = gates[t * heads + head];
                    int row = t * frames;
                    float max = Float.NEGATIVE_INFINITY;
                    for (int j = lo; j < hi; j++) {
                        float v = scores[row + j] * scale + g * br[j - t + frames];
                        scores[row + j] = v;
                        if (v > max) max = v;
                    }
                    float inv = 1f / ops.expShifted(scores, row + lo, hi - lo, max);
                    for (int j = lo; j < hi; j++) scores[row + j] *= inv;
                    for (int j = 0; j < lo; j++) scores[row + j] = 0f;
                    for (int j = hi; j < frames; j++) scores[row + j] = 0f;
                }
            });
            mm.linear(scores, 0, frames, frames, frames, heapWeight(vt, d, frames), null, out, hd * d, dim, d);
        }
    }

    private static Weight heapWeight(float[] w, int rows, int cols) {
        return new Weight(MemorySegment.ofArray(w), DType.F32, rows, cols);
    }

    /** {@code gate[t, n] = a (b c_n - 1) + 2}, with a, b sigmoids of sums of a tiny linear map of head n's slice. */
    private float[] gates(float[] h, int frames) {
        float[] g = new float[frames * heads];
        for (int t = 0; t < frames; t++) {
            for (int n = 0; n < heads; n++) {
                int off = t * dim + n * headDim;
                float[] r = new float[8];
                for (int o = 0; o < 8; o++) {
                    float s = 0f;
                    for (int e = 0; e < headDim; e++) s += h[off + e] * gateW[o * headDim + e];
                    r[o] = s + gateB[o];
                }
                float a = sigmoid(r[0] + r[1] + r[2] + r[3]);
                float b = sigmoid(r[4] + r[5] + r[6] + r[7]);
                g[t * heads + n] = a * (b * gateConst[n] - 1f) + 2f;
            }
        }
        return g;
    }

    private static float sigmoid(float x) {
        return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
}
