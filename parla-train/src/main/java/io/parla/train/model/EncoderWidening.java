package io.parla.train.model;

import ai.djl.ndarray.NDArray;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

/**
 * Widens a trained encoder without changing what it computes (up to the symmetry-breaking noise), so a fine-tune
 * starts from the trained model's features.
 *
 * <p><b>Convolutional front end</b> (hidden_dims C_i to a multiple C_i'): every conv layer is followed by a layer norm
 * over its channels, so new channels cannot start at zero (they would shift the norm's mean and variance). They start
 * as copies of old channels instead (Net2Net's wider net, Chen et al. 2016): new channel c copies old channel
 * c mod C_i, a set with every channel copied equally often has the same mean and variance, and the next layer divides the weights it reads from
 * each copy by the number of copies, so its sum is unchanged. That holds through the last layer's norm
 * ({@code encoder.norm}) into {@code encoder.feature_proj}. Copies would stay equal for ever (same values, same
 * gradients), so each new channel's conv weights are scaled by (1 + noise * N(0, 1)).
 *
 * <p><b>Transformer feed-forward</b> (ffn_dim F to F' &gt;= F): the old hidden units are copied, new ones keep their
 * fresh input rows and get zero output columns ({@link FeedForwardWidening}, as in {@link DecoderGrowth}).
 *
 * <p>The model width ({@code dim}) cannot grow this way.
 */
public final class EncoderWidening {
    private EncoderWidening() {}

    private static final String FRONT = "encoder.feature_extractor.layers.";
    private static final String LAYERS = "encoder.encoder.layers.";

    /**
     * Rewrites the front end, {@code encoder.norm}, {@code encoder.feature_proj.weight} and the old layers'
     * feed-forward tensors of {@code dst} (the wider model) from {@code src}.
     *
     * @return {old channels of each conv layer..., new channels of each conv layer..., old ffn_dim, new ffn_dim}
     * @throws IllegalArgumentException when {@code dst} is not a widening of {@code src} (narrower, other kernel or
     *     model width, nothing wider) or a tensor is missing
     */
    public static int[] apply(Map<String, NDArray> dst, Map<String, NDArray> src, double noise, long seed) {
        Random rnd = new Random(seed);
        int layers = 0;
        while (src.containsKey(FRONT + layers + ".conv.weight")) layers++;
        if (layers == 0) throw new IllegalArgumentException("encoder widening: the model has no " + FRONT + "0.conv.weight");
        int[] out = new int[2 * layers + 2];
        boolean wider = false;
        int[] inMap = {0};
        int[] inCopies = {1};
        for (int i = 0; i < layers; i++) {
            String pre = FRONT + i;
            long[] s = shape(src, pre + ".conv.weight"), d = shape(dst, pre + ".conv.weight");
            int co = (int) s[0], ci = (int) s[1], k = (int) s[2], no = (int) d[0], ni = (int) d[1];
            if (d[2] != k || no < co || ni != inMap.length || ci != (i == 0 ? 1 : out[i - 1]))
                throw new IllegalArgumentException("encoder widening: " + pre + ".conv.weight " + Arrays.toString(s)
                        + " -> " + Arrays.toString(d) + " is not a widening");
            if (no % co != 0)
                throw new IllegalArgumentException("encoder widening: " + pre + " grows from " + co + " to " + no
                        + " channels; give a multiple of " + co + " (the layer norm must see every channel equally often)");
            out[i] = co;
            out[layers + i] = no;
            wider |= no > co;
            int[] map = copies(co, no);
            int[] count = counts(map, co);
            float[] w = get(src, pre + ".conv.weight").toFloatArray(), nw = new float[no * ni * k];
            for (int o = 0; o < no; o++) {
                double scale = o < co ? 1 : 1 + noise * rnd.nextGaussian();
                for (int c = 0; c < ni; c++)
                    for (int t = 0; t < k; t++)
                        nw[(o * ni + c) * k + t] = (float) (w[(map[o] * ci + inMap[c]) * k + t] / inCopies[inMap[c]] * scale);
            }
            get(dst, pre + ".conv.weight").set(nw);
            gather(dst, src, pre + ".norm.weight", map);
            gather(dst, src, pre + ".norm.bias", map);
            inMap = map;
            inCopies = count;
        }
        gather(dst, src, "encoder.norm.weight", inMap);
        gather(dst, src, "encoder.norm.bias", inMap);
        long[] ps = shape(src, "encoder.feature_proj.weight"), pd = shape(dst, "encoder.feature_proj.weight");
        if (pd[0] != ps[0] || pd[1] != inMap.length)
            throw new IllegalArgumentException("encoder widening keeps the model width: encoder.feature_proj.weight "
                    + Arrays.toString(ps) + " -> " + Arrays.toString(pd));
        int dim = (int) ps[0], co = (int) ps[1], no = inMap.length;
        float[] p = get(src, "encoder.feature_proj.weight").toFloatArray(), np = new float[dim * no];
        for (int r = 0; r < dim; r++)
            for (int c = 0; c < no; c++) np[r * no + c] = p[r * co + inMap[c]] / inCopies[inMap[c]];
        get(dst, "encoder.feature_proj.weight").set(np);

        int l = 0;
        for (; src.containsKey(LAYERS + l + ".feed_forward.in_proj.weight"); l++) {
            String pre = LAYERS + l + ".feed_forward.";
            int[] f = FeedForwardWidening.apply(dst, src, pre + "in_proj", pre + "out_proj", "encoder widening");
            out[2 * layers] = f[0];
            out[2 * layers + 1] = f[1];
            wider |= f[1] > f[0];
        }
        if (l == 0) throw new IllegalArgumentException("encoder widening: the model has no " + LAYERS + "0.feed_forward.in_proj.weight");
        if (!wider) throw new IllegalArgumentException("encoder widening needs wider hidden_dims or ffn_dim than the initial model's");
        return out;
    }

    /** New channel c reads old channel c mod {@code old}: the copies spread evenly over the old channels. */
    static int[] copies(int old, int wide) {
        int[] map = new int[wide];
        for (int c = 0; c < wide; c++) map[c] = c % old;
        return map;
    }

    private static int[] counts(int[] map, int old) {
        int[] n = new int[old];
        for (int m : map) n[m]++;
        return n;
    }

    private static void gather(Map<String, NDArray> dst, Map<String, NDArray> src, String name, int[] map) {
        float[] s = get(src, name).toFloatArray(), d = new float[map.length];
        if (get(dst, name).size() != map.length)
            throw new IllegalArgumentException("encoder widening: " + name + " has " + get(dst, name).size() + " values, not " + map.length);
        for (int c = 0; c < map.length; c++) d[c] = s[map[c]];
        get(dst, name).set(d);
    }

    private static long[] shape(Map<String, NDArray> p, String name) {
        return get(p, name).getShape().getShape();
    }

    private static NDArray get(Map<String, NDArray> p, String name) {
        NDArray a = p.get(name);
        if (a == null) throw new IllegalArgumentException("encoder widening: the model has no " + name);
        return a;
    }
}
