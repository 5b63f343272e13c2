package io.parla.train.model;

import ai.djl.ndarray.NDArray;

import java.util.Map;

/**
 * Gives a trained Vocos/WaveNeXt decoder more capacity without changing what it computes, so a fine-tune starts
 * from the trained model's output instead of from scratch.
 *
 * <p>Each backbone layer is a ConvNeXt residual block, x + gamma * pwconv2(gelu(pwconv1(norm(dwconv(x))))). Two
 * growths keep that sum unchanged:
 * <ul>
 *   <li><b>wider feed-forward</b> (ffn_dim F to F' &gt; F): the old F hidden units are copied, the new ones keep
 *       their fresh pwconv1 rows (so they are active and pass gradient) and get zero pwconv2 columns (so they add
 *       nothing yet);</li>
 *   <li><b>more layers</b> (L to L' &gt; L): a new layer whose pwconv2 is zero is the identity; its pwconv1 and
 *       gamma keep their fresh values so pwconv2's gradient is not zero.</li>
 * </ul>
 * The backbone width ({@code dim}) cannot grow this way: the layer norms would see new channels.
 */
public final class DecoderGrowth {
    private DecoderGrowth() {}

    private static final String LAYERS = "decoder.backbone.layers.";

    /**
     * Rewrites the feed-forward tensors of {@code dst} (the grown model) in place; every tensor whose shape did not
     * change (norms, depthwise convolutions, gamma, pwconv2 biases of the old layers) must already be copied from
     * {@code src}, as the trainer's name-and-shape copy does.
     *
     * @return {layers before, layers after, ffn before, ffn after}
     * @throws IllegalArgumentException when the shapes are not a growth of {@code src} (narrower, other width, or
     *     nothing grown) or a tensor is missing
     */
    public static int[] apply(Map<String, NDArray> dst, Map<String, NDArray> src) {
        int from = countLayers(src), to = countLayers(dst);
        long[] s1 = shape(src, LAYERS + "0.pwconv1.weight"), d1 = shape(dst, LAYERS + "0.pwconv1.weight");
        int ffn = (int) s1[0], ffnNew = (int) d1[0], dim = (int) s1[1];
        if (d1[1] != dim)
            throw new IllegalArgumentException("decoder growth keeps the backbone width: dim " + dim + " -> " + d1[1]);
        if (to < from || ffnNew < ffn || (to == from && ffnNew == ffn))
            throw new IllegalArgumentException("decoder growth needs more layers or a wider feed-forward: layers "
                    + from + " -> " + to + ", ffn_dim " + ffn + " -> " + ffnNew);
        for (int l = 0; l < from; l++)
            FeedForwardWidening.apply(dst, src, LAYERS + l + ".pwconv1", LAYERS + l + ".pwconv2", "decoder growth");
        for (int l = from; l < to; l++) {
            for (String n : new String[] {".pwconv2.weight", ".pwconv2.bias"}) {
                NDArray p = get(dst, LAYERS + l + n);
                p.set(new float[Math.toIntExact(p.size())]);
            }
        }
        return new int[] {from, to, ffn, ffnNew};
    }

    static int countLayers(Map<String, NDArray> p) {
        int n = 0;
        while (p.containsKey(LAYERS + n + ".pwconv1.weight")) n++;
        if (n == 0) throw new IllegalArgumentException("decoder growth: the model has no " + LAYERS + "0.pwconv1.weight");
        return n;
    }

    private static long[] shape(Map<String, NDArray> p, String name) {
        return get(p, name).getShape().getShape();
    }

    private static NDArray get(Map<String, NDArray> p, String name) {
        NDArray a = p.get(name);
        if (a == null) throw new IllegalArgumentException("decoder growth: the model has no " + name);
        return a;
    }
}
