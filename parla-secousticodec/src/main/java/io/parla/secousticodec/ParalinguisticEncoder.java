package io.parla.secousticodec;

import io.parla.secousticodec.SecoustiOps.Conv;

/**
 * Paralinguistic (speaker/style) encoder: one global vector {@code p [latent_dim]} per utterance.
 * The prompt ({@link #promptRange}) is treated as an image {@code [80 channels, H = frames, W = 1]}; with
 * W = 1 only the middle column of every 3×3 kernel sees data, so each Conv2d is a K3 Conv1d over time.
 * 6 × (conv → BatchNorm (running stats) → ReLU), squeeze-excitation ({@code x·s + x}), a one-layer GRU
 * (gate order r, z, n) whose final state goes through {@code dense_mu}.
 */
final class ParalinguisticEncoder {
    private final Conv[] convs = new Conv[6];
    private final float[][] bnScale = new float[6][], bnShift = new float[6][];
    private final float[][] bnGamma = new float[6][], bnBeta = new float[6][];
    private final float[] seA, seB, wih, whh, bih, bhh, muW, muB;
    private final int seHidden, seC, hidden, embed, promptFrames, nMels;

    ParalinguisticEncoder(Weights w, SecoustiConfig cfg) {
        SecoustiConfig.Paralinguistic pc = cfg.paralinguistic();
        String p = "paralinguistic_encoder.";
        nMels = cfg.nMels();
        promptFrames = pc.promptFrames();
        int in = nMels;
        for (int i = 0; i < 6; i++) {
            int out = pc.convChannels()[i];
            float[] w4 = w.take(p + "conv2d_" + (i + 1) + ".weight", out, in, 3, 3);
            float[] b = w.take(p + "conv2d_" + (i + 1) + ".bias", out);
            float[] w3 = new float[out * in * 3];
            for (int o = 0; o < out * in; o++)
                for (int k = 0; k < 3; k++) w3[o * 3 + k] = w4[(o * 3 + k) * 3 + 1];
            convs[i] = SecoustiOps.packConv(w3, out, in, 3, b);
            String bn = p + "batchnorm_" + (i + 1) + ".";
            float[] g = w.take(bn + "weight", out), beta = w.take(bn + "bias", out);
            float[] mean = w.take(bn + "running_mean", out), var = w.take(bn + "running_var", out);
            w.allowUnused(bn + "num_batches_tracked");
            bnScale[i] = new float[out];
            bnShift[i] = new float[out];
            for (int c = 0; c < out; c++) {
                // y = (x - mean) / sqrt(var + eps) * g + beta, kept in that order at run time
                bnScale[i][c] = (float) (1.0 / Math.sqrt(var[c] + pc.batchnormEps()));
                bnShift[i][c] = mean[c];
            }
            bnGamma[i] = g;
            bnBeta[i] = beta;
            in = out;
        }
        seC = in;
        seHidden = pc.seHidden();
        seA = w.take(p + "senet.fc.0.weight", seHidden, seC);
        seB = w.take(p + "senet.fc.2.weight", seC, seHidden);
        hidden = pc.gruHidden();
        wih = w.take(p + "gru.weight_ih_l0", 3 * hidden, seC);
        whh = w.take(p + "gru.weight_hh_l0", 3 * hidden, hidden);
        bih = w.take(p + "gru.bias_ih_l0", 3 * hidden);
        bhh = w.take(p + "gru.bias_hh_l0", 3 * hidden);
        embed = cfg.latentDim();
        muW = w.take(p + "dense_mu.weight", embed, hidden);
        muB = w.take(p + "dense_mu.bias", embed);
        w.allowUnused(p + "dense_var.weight", embed, hidden);
        w.allowUnused(p + "dense_var.bias", embed);
    }

    /**
     * The prompt frames {@code [start, end)} the official code takes from a {@code T}-frame mel: the
     * middle {@code P} frames, with Python slice semantics for a negative start (T/2 < P/2: the slice is
     * the last {@code P/2 - T/2} frames, or all of them).
     */
    static int[] promptRange(int T, int P) {
        int s = T / 2 - P / 2, e = T / 2 + P / 2;
        if (s < 0) s = Math.max(0, s + T);
        e = Math.min(e, T);
        return new int[] {s, Math.max(s, e)};
    }

    int promptFrames() { return promptFrames; }

    /** {@code p [latent_dim]} from a full mel {@code [T, n_mels]} (prompt chosen as the reference does). */
    float[] forwardUtterance(float[] mel, int T) {
        int[] r = promptRange(T, promptFrames);
        float[] seg = new float[(r[1] - r[0]) * nMels];
        System.arraycopy(mel, r[0] * nMels, seg, 0, seg.length);
        return forward(seg, r[1] - r[0]);
    }

    /** {@code p [latent_dim]} from an explicit prompt mel {@code [t, n_mels]}, t >= 1. */
    float[] forward(float[] prompt, int t) {
        if (t < 1) throw new IllegalArgumentException("paralinguistic prompt needs at least one mel frame");
        float[] h = prompt;
        for (int i = 0; i < 6; i++) {
            h = SecoustiOps.conv1d(h, t, convs[i], 1, 1, 1, 1);
            int C = convs[i].out();
            for (int j = 0; j < t; j++)
                for (int c = 0; c < C; c++) {
                    int k = j * C + c;
                    float v = (h[k] - bnShift[i][c]) * bnScale[i][c] * bnGamma[i][c] + bnBeta[i][c];
                    h[k] = Math.max(v, 0f);
                }
        }
        // squeeze-excitation: mean over time, bottleneck, sigmoid gate; out = x * s + x
        float[] y = new float[seC];
        for (int j = 0; j < t; j++)
            for (int c = 0; c < seC; c++) y[c] += h[j * seC + c];
        for (int c = 0; c < seC; c++) y[c] /= t;
        float[] z = SecoustiOps.linear(y, 1, seC, seA, null, seHidden);
        for (int i = 0; i < z.length; i++) z[i] = Math.max(z[i], 0f);
        float[] s = SecoustiOps.linear(z, 1, seHidden, seB, null, seC);
        for (int c = 0; c < seC; c++) s[c] = SecoustiOps.sigmoid(s[c]);
        for (int j = 0; j < t; j++)
            for (int c = 0; c < seC; c++) h[j * seC + c] = h[j * seC + c] * s[c] + h[j * seC + c];
        // GRU over time, h0 = 0; only the final state is used
        float[] gi = SecoustiOps.linear(h, t, seC, wih, bih, 3 * hidden);
        float[] state = new float[hidden];
        for (int j = 0; j < t; j++) {
            float[] gh = SecoustiOps.linear(state, 1, hidden, whh, bhh, 3 * hidden);
            int go = j * 3 * hidden;
            float[] next = new float[hidden];
            for (int u = 0; u < hidden; u++) {
                float r = SecoustiOps.sigmoid(gi[go + u] + gh[u]);
                float zz = SecoustiOps.sigmoid(gi[go + hidden + u] + gh[hidden + u]);
                float n = (float) Math.tanh(gi[go + 2 * hidden + u] + r * gh[2 * hidden + u]);
                next[u] = (1 - zz) * n + zz * state[u];
            }
            state = next;
        }
        return SecoustiOps.linear(state, 1, hidden, muW, muB, embed);
    }
}
