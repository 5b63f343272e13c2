package io.parla.train.model;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * The feed-forward part of a function-preserving growth, shared by the encoder's transformer layers and the decoder's
 * ConvNeXt layers: out(act(in(x))) with in: [F, D] and out: [D, F] grows to F' &gt;= F hidden units. The old F units
 * are copied, the new ones keep their fresh {@code in} rows (so they are active and pass gradient) and get zero
 * {@code out} columns (so they add nothing yet).
 */
final class FeedForwardWidening {
    private FeedForwardWidening() {}

    /**
     * Rewrites {@code in.weight}, {@code in.bias} and {@code out.weight} of {@code dst} from {@code src}.
     *
     * @return {F, F'}
     * @throws IllegalArgumentException (naming {@code what}) when a tensor is missing or the shapes are not such a widening
     */
    static int[] apply(Map<String, NDArray> dst, Map<String, NDArray> src, String in, String out, String what) {
        NDArray inW = get(dst, in + ".weight", what), inB = get(dst, in + ".bias", what), outW = get(dst, out + ".weight", what);
        NDArray oldInW = get(src, in + ".weight", what);
        long[] s = oldInW.getShape().getShape(), d = inW.getShape().getShape();
        int ffn = (int) s[0], nf = (int) d[0], dim = (int) s[1];
        if (d[1] != dim || nf < ffn)
            throw new IllegalArgumentException(what + ": " + in + ".weight " + java.util.Arrays.toString(s) + " -> "
                    + java.util.Arrays.toString(d) + " is not a widening");
        float[] w1 = inW.toFloatArray(), b1 = inB.toFloatArray();
        System.arraycopy(oldInW.toFloatArray(), 0, w1, 0, ffn * dim);
        System.arraycopy(get(src, in + ".bias", what).toFloatArray(), 0, b1, 0, ffn);
        inW.set(w1);
        inB.set(b1);
        float[] w2 = get(src, out + ".weight", what).toFloatArray(), nw2 = new float[dim * nf];
        for (int r = 0; r < dim; r++) System.arraycopy(w2, r * ffn, nw2, r * nf, ffn);
        outW.set(nw2);
        return new int[] {ffn, nf};
    }

    private static NDArray get(Map<String, NDArray> p, String name, String what) {
        NDArray a = p.get(name);
        if (a == null) throw new IllegalArgumentException(what + ": the model has no " + name);
        return a;
    }
}
