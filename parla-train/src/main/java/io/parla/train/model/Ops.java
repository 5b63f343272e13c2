package io.parla.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv1d;
import ai.djl.nn.norm.LayerNorm;

/** Functional building blocks on channel-last sequences {@code [B, T, C]} (PyTorch weight layouts). */
public final class Ops {
    private Ops() {}

    /** How a convolution is padded along time. */
    public enum Pad { NONE, SAME_ZERO, CAUSAL_REPLICATE, CAUSAL_ZERO }

    public static NDArray linear(NDArray x, NDArray w, NDArray b) {
        return b == null ? ai.djl.nn.core.Linear.linear(x, w).head() : ai.djl.nn.core.Linear.linear(x, w, b).head();
    }

    public static NDArray gelu(NDArray x) { return Activation.gelu(x); }

    public static NDArray layerNorm(NDArray x, NDArray w, NDArray b, float eps) {
        long c = x.getShape().get(x.getShape().dimension() - 1);
        return LayerNorm.layerNorm(x, new Shape(c), w, b, eps).head();
    }

    /** DynamicTanh without affine: tanh(alpha x), alpha a 1-element tensor. */
    public static NDArray dyt(NDArray x, NDArray alpha) { return x.mul(alpha).tanh(); }

    /** Snake: x + sin^2(alpha x) / (alpha + 1e-9), alpha [C, 1] per channel. */
    public static NDArray snake(NDArray x, NDArray alpha) {
        NDArray a = alpha.reshape(alpha.getShape().get(0));
        return x.add(x.mul(a).sin().square().div(a.add(1e-9f)));
    }

    /** Repeats the first frame {@code n} times in front of x [B, T, C]. */
    public static NDArray padLeftReplicate(NDArray x, int n) {
        if (n <= 0) return x;
        NDArray first = x.get(":, 0:1, :");
        return NDArrays.concat(new NDList(first.repeat(1, n), x), 1);
    }

    public static NDArray padTimeZeros(NDArray x, int left, int right) {
        if (left <= 0 && right <= 0) return x;
        Shape s = x.getShape();
        NDList parts = new NDList();
        if (left > 0) parts.add(x.getManager().zeros(new Shape(s.get(0), left, s.get(2)), x.getDataType()));
        parts.add(x);
        if (right > 0) parts.add(x.getManager().zeros(new Shape(s.get(0), right, s.get(2)), x.getDataType()));
        return NDArrays.concat(parts, 1);
    }

    /** Conv1d on [B, T, C]; weight [C_out, C_in/groups, k]. Returns [B, T', C_out]. */
    public static NDArray conv(NDArray x, NDArray w, NDArray b, int stride, Pad pad, int groups) {
        int k = (int) w.getShape().get(2);
        NDArray xp = switch (pad) {
            case NONE -> x;
            case SAME_ZERO -> padTimeZeros(x, (k - 1) / 2, k - 1 - (k - 1) / 2);
            case CAUSAL_REPLICATE -> padLeftReplicate(x, k - 1);
            case CAUSAL_ZERO -> padTimeZeros(x, k - 1, 0);
        };
        return convChannelsFirst(xp.transpose(0, 2, 1), w, b, stride, groups).transpose(0, 2, 1);
    }

    /** Plain Conv1d on [B, C, T] without padding. */
    public static NDArray convChannelsFirst(NDArray xt, NDArray w, NDArray b, int stride, int groups) {
        if (b == null) b = xt.getManager().zeros(new Shape(w.getShape().get(0)), xt.getDataType());
        return Conv1d.conv1d(xt, w, b, new Shape(stride), new Shape(0), new Shape(1), groups).head();
    }

    /**
     * ConvTranspose1d on [B, T, C] with kernel == stride (the only case the codec uses: non-overlapping UpScale);
     * weight [C_in, C_out, k]. Written as one matrix product (the PyTorch engine of DJL has no deconvolution).
     */
    public static NDArray convTranspose(NDArray x, NDArray w, NDArray b, int stride) {
        long cin = w.getShape().get(0), cout = w.getShape().get(1), k = w.getShape().get(2);
        if (k != stride) throw new IllegalArgumentException("convTranspose supports kernel == stride only");
        long B = x.getShape().get(0), T = x.getShape().get(1);
        NDArray wp = w.transpose(0, 2, 1).reshape(cin, k * cout);
        NDArray y = x.matMul(wp).reshape(B, T * k, cout);
        return b == null ? y : y.add(b);
    }

    /** Overlap-add of frames [B, T, N] with hop h: output [B, (T-1) h + N]. */
    public static NDArray overlapAdd(NDArray frames, int hop) {
        long B = frames.getShape().get(0), T = frames.getShape().get(1);
        int n = (int) frames.getShape().get(2);
        int parts = (n + hop - 1) / hop;
        NDArray f = Ops.padLast(frames, parts * hop - n).reshape(B, T, parts, hop);
        NDArray out = null;
        for (int j = 0; j < parts; j++) {
            NDArray c = padTimeZeros(f.get(":, :, " + j + ", :"), j, parts - 1 - j);
            out = out == null ? c : out.add(c);
        }
        return out.reshape(B, (T + parts - 1) * hop).get(":, 0:" + ((T - 1) * hop + n));
    }

    /** Zero-pads the last axis of a 3-d array on the right. */
    public static NDArray padLast(NDArray x, int n) {
        if (n <= 0) return x;
        Shape s = x.getShape();
        return NDArrays.concat(new NDList(x, x.getManager().zeros(new Shape(s.get(0), s.get(1), n), x.getDataType())), 2);
    }

    /** L2-normalises over the last axis with eps 1e-12 (torch.nn.functional.normalize). */
    public static NDArray l2normalize(NDArray x) {
        NDArray n = x.square().sum(new int[] {-1}, true).sqrt().maximum(1e-12f);
        return x.div(n);
    }
}
