package io.parla.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The Vocos iSTFT head written with matrix products so that it is differentiable and exact to float32. */
final class Istft {
    private Istft() {}

    /** h [B, T, n_fft + 2] (log-magnitudes then phases) -> signal [B, T*hop]. */
    static NDArray vocosHead(NDArray h, int nFft, int hop, boolean causal) {
        NDManager m = h.getManager();
        int nb = nFft / 2 + 1;
        long B = h.getShape().get(0), T = h.getShape().get(1);
        // min(exp(x), 100) written as exp(min(x, ln 100)): same values, but no inf * 0 = NaN gradient when x overflows
        NDArray mag = h.get(":, :, 0:" + nb).minimum((float) Math.log(100.0)).exp();
        NDArray ph = h.get(":, :, " + nb + ":");
        NDArray re = mag.mul(ph.cos());
        NDArray im = mag.mul(ph.sin());
        float[] win = new float[nFft];
        for (int n = 0; n < nFft; n++) win[n] = causal ? 1f : (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft));
        float[] cb = new float[nb * nFft];
        float[] sb = new float[nb * nFft];
        for (int k = 0; k < nb; k++) {
            double scale = (k == 0 || k == nFft / 2) ? 1.0 / nFft : 2.0 / nFft;
            boolean edge = k == 0 || k == nFft / 2;
            for (int n = 0; n < nFft; n++) {
                double ang = 2 * Math.PI * ((long) k * n % nFft) / nFft;
                cb[k * nFft + n] = (float) (scale * Math.cos(ang) * win[n]);
                sb[k * nFft + n] = edge ? 0f : (float) (-scale * Math.sin(ang) * win[n]);
            }
        }
        NDArray frames = re.matMul(m.create(cb, new Shape(nb, nFft))).add(im.matMul(m.create(sb, new Shape(nb, nFft))));
        if (causal) return frames.get(":, :, " + (nFft - hop) + ":").reshape(B, T * hop);
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
}
