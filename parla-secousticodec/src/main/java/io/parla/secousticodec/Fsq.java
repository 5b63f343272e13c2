package io.parla.secousticodec;

/**
 * Finite scalar quantisation with projections ({@code fsq.project_in / project_out}). For level L:
 * {@code bounded = tanh(u + shift)·half_l - offset} with {@code half_l = (L-1)(1-1e-3)/2}
 * ({@code offset = 0.5, shift = atanh(offset/half_l)} for even L, 0 for odd), digit =
 * {@code round_half_even(bounded) + L/2}, token = {@code Σ digit_k · Π_{j<k} L_j} (dimension 0 least
 * significant). Inverse: code = {@code (digit - L/2) / (L/2)}.
 */
final class Fsq {
    private final int[] levels;
    private final int[] basis;
    private final int dim, latent, codebook;
    private final float[] inW, inB, outW, outB;

    Fsq(Weights w, SecoustiConfig cfg) {
        levels = cfg.fsqLevels().clone();
        dim = levels.length;
        latent = cfg.latentDim();
        basis = new int[dim];
        int b = 1;
        for (int k = 0; k < dim; k++) {
            basis[k] = b;
            b *= levels[k];
        }
        codebook = b;
        inW = w.take("fsq.project_in.weight", dim, latent);
        inB = w.take("fsq.project_in.bias", dim);
        outW = w.take("fsq.project_out.weight", latent, dim);
        outB = w.take("fsq.project_out.bias", latent);
    }

    int dim() { return dim; }
    int codebookSize() { return codebook; }

    /** {@code project_in}: {@code [T, latent]} to {@code [T, dim]}. */
    float[] projectIn(float[] mu, int T) {
        return SecoustiOps.linear(mu, T, latent, inW, inB, dim);
    }

    /** Bounded (pre-rounding) values {@code [T, dim]}. */
    float[] bound(float[] pre) {
        float[] y = new float[pre.length];
        for (int i = 0; i < pre.length; i++) {
            int L = levels[i % dim];
            float halfL = (float) ((L - 1) * (1 - 1e-3) / 2);
            float offset = L % 2 == 0 ? 0.5f : 0f;
            float shift = (float) atanh(offset / halfL);
            y[i] = (float) Math.tanh(pre[i] + shift) * halfL - offset;
        }
        return y;
    }

    private static double atanh(double x) {
        return 0.5 * Math.log((1 + x) / (1 - x));
    }

    /** Tokens {@code [T]} from bounded values {@code [T, dim]}. */
    int[] tokens(float[] bounded, int T) {
        int[] tok = new int[T];
        for (int t = 0; t < T; t++) {
            int s = 0;
            for (int k = 0; k < dim; k++) {
                int digit = (int) Math.rint(bounded[t * dim + k]) + levels[k] / 2;
                s += digit * basis[k];
            }
            tok[t] = s;
        }
        return tok;
    }

    /** Codes {@code [T, dim]} (values in [-1, 1]) of tokens; rejects tokens outside the codebook. */
    float[] codes(int[] tokens) {
        float[] c = new float[tokens.length * dim];
        for (int t = 0; t < tokens.length; t++) {
            int tok = tokens[t];
            if (tok < 0 || tok >= codebook)
                throw new IllegalArgumentException("token " + tok + " at position " + t + " is outside [0, " + codebook + ")");
            for (int k = 0; k < dim; k++) {
                int half = levels[k] / 2;
                int digit = (tok / basis[k]) % levels[k];
                c[t * dim + k] = (float) (digit - half) / half;
            }
        }
        return c;
    }

    /** {@code project_out}: codes {@code [T, dim]} to latent {@code [T, latent]}. */
    float[] projectOut(float[] codes, int T) {
        return SecoustiOps.linear(codes, T, dim, outW, outB, latent);
    }
}
