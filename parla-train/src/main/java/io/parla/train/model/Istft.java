package io.parla.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The Vocos iSTFT head written with matrix products so that it is differentiable and exact to float32. */
final class Istft {
    private Istft() {}

    /**
     * h [B, T, n_fft + 2] (log-magnitudes then phases) -> signal [B, T*hop]. Causal: the last hop samples of each
     * frame, the first {@code crossfade} of them faded in from the previous frame's circular continuation (its
     * first samples; zeros before frame 0), as the runtime's {@code ISTFTHead} does.
     */
    static NDArray vocosHead(NDArray h, int nFft, int hop, boolean causal, int crossfade) {
        // the runtime refuses these configs when it loads the export; refuse them before hours of training instead
        if (crossfade != 0 && (!causal || crossfade < 0 || crossfade > Math.min(hop, nFft - hop)))
            throw new IllegalArgumentException("decoder crossfade_length " + crossfade + ": the causal Vocos head takes 0 to "
                    + Math.min(hop, nFft - hop) + (causal ? "" : " (this decoder is not causal: 0 only)"));
        NDManager m = h.getManager();
        int nb = nFft / 2 + 1;
        long B = h.getShape().get(0), T = h.getShape().get(1);
        // min(exp(x), 100) written as exp(min(x, ln 100)): same values, but no inf * 0 = NaN gradient when x overflows
        NDArray mag = h.get(":, :, 0:" + nb).minimum((float) Math.log(100.0)).exp();
        NDArray ph = h.get(":, :, " + nb + ":");
        NDArray re = mag.mul(ph.cos());
        NDArray im = mag.mul(ph.sin());
        // the causal head needs only the block (last hop samples) and the continuation (first crossfade samples)
        int[] cols = new int[causal ? hop + crossfade : nFft];
        for (int j = 0; j < cols.length; j++) cols[j] = !causal ? j : j < hop ? nFft - hop + j : j - hop;
        int nc = cols.length;
        float[] cb = new float[nb * nc];
        float[] sb = new float[nb * nc];
        for (int k = 0; k < nb; k++) {
            double scale = (k == 0 || k == nFft / 2) ? 1.0 / nFft : 2.0 / nFft;
            boolean edge = k == 0 || k == nFft / 2;
            for (int j = 0; j < nc; j++) {
                int n = cols[j];
                double win = causal ? 1.0 : (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft));
                double ang = 2 * Math.PI * ((long) k * n % nFft) / nFft;
                cb[k * nc + j] = (float) (scale * Math.cos(ang) * win);
                sb[k * nc + j] = edge ? 0f : (float) (-scale * Math.sin(ang) * win);
            }
        }
        NDArray frames = re.matMul(m.create(cb, new Shape(nb, nc))).add(im.matMul(m.create(sb, new Shape(nb, nc))));
        if (causal) return causalBlocks(frames, hop, crossfade);
        float[] win = new float[nFft];
        for (int n = 0; n < nFft; n++) win[n] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft));
        NDArray ola = Ops.overlapAdd(frames, hop); // [B, (T-1)hop + nFft]
        int pad = (nFft - hop) / 2;
        int total = (int) ((T - 1) * hop + nFft);
        double[] env = new double[total];
        for (int t = 0; t < T; t++) for (int n = 0; n < nFft; n++) env[t * hop + n] += (double) win[n] * win[n];
        float[] inv = new float[(int) (T * hop)];
        for (int i = 0; i < inv.length; i++) inv[i] = (float) (1.0 / env[i + pad]);
        NDArray y = ola.reshape(B, total).get(":, " + pad + ":" + (pad + T * hop));
        return y.mul(m.create(inv, new Shape(1, T * hop)));
    }

    /** frames [B, T, hop + crossfade] (block, then continuation) -> [B, T*hop]. */
    private static NDArray causalBlocks(NDArray frames, int hop, int crossfade) {
        long B = frames.getShape().get(0), T = frames.getShape().get(1);
        NDArray block = frames.get(":, :, 0:" + hop);
        if (crossfade == 0) return block.reshape(B, T * hop);
        NDArray prev = Ops.padTimeZeros(frames.get(":, :, " + hop + ":"), 1, 0).get(":, 0:" + T + ", :");
        float[] a = new float[crossfade], b = new float[crossfade];
        for (int k = 0; k < crossfade; k++) {
            a[k] = (float) (0.5 - 0.5 * Math.cos(Math.PI * (k + 0.5) / crossfade));
            b[k] = 1f - a[k];
        }
        NDManager m = frames.getManager();
        NDArray head = block.get(":, :, 0:" + crossfade).mul(m.create(a, new Shape(1, 1, crossfade)))
                .add(prev.mul(m.create(b, new Shape(1, 1, crossfade))));
        NDArray faded = crossfade == hop ? head : head.concat(block.get(":, :, " + crossfade + ":"), 2);
        return faded.reshape(B, T * hop);
    }
}
