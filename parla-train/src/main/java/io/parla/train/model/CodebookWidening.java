package io.parla.train.model;

import ai.djl.ndarray.NDArray;

import java.util.List;
import java.util.Map;

/**
 * Grows a trained model's binary codebook from D to D' > D bits without changing what it outputs, so a longer
 * fine-tune can teach the new bits something instead of starting the quantiser over.
 *
 * <p>BSQ codes are sign(u)/√D, so the decompressor sees every old bit scaled by √D/√D' after the growth; its
 * input projection's old columns are multiplied by √(D'/D) to undo that, and its new columns start at zero, so the
 * new bits are ignored until training gives them weight. The compressor's old output rows are copied and its new
 * rows keep their fresh initialisation (zero rows would give sign(0) bits and no gradient direction).
 */
public final class CodebookWidening {
    private CodebookWidening() {}

    /** The four tensors it rewrites: [D', in] and [D'] in the compressor, [out, D'] and [out] in the decompressor. */
    public static final List<String> NAMES = List.of("compressor.out_proj.weight", "compressor.out_proj.bias",
            "decompressor.in_proj.weight", "decompressor.in_proj.bias");

    /**
     * Copies {@link #NAMES} from {@code src} (D bits) into {@code dst} (D' bits), in place.
     *
     * @return D, the source's code dimension
     * @throws IllegalArgumentException when a tensor is missing or the shapes are not a D -> D' growth
     */
    public static int apply(Map<String, NDArray> dst, Map<String, NDArray> src) {
        for (String n : NAMES) {
            if (!src.containsKey(n)) throw new IllegalArgumentException("codebook widening: the source has no " + n);
            if (!dst.containsKey(n)) throw new IllegalArgumentException("codebook widening: the model has no " + n);
        }
        long[] cw = src.get(NAMES.get(0)).getShape().getShape(), nw = dst.get(NAMES.get(0)).getShape().getShape();
        long[] di = src.get(NAMES.get(2)).getShape().getShape(), ni = dst.get(NAMES.get(2)).getShape().getShape();
        int d = (int) cw[0], dNew = (int) nw[0];
        if (dNew <= d || cw[1] != nw[1] || di[1] != d || ni[1] != dNew || di[0] != ni[0])
            throw new IllegalArgumentException("codebook widening needs compressor.out_proj [D, in] -> [D' > D, in] and "
                    + "decompressor.in_proj [out, D] -> [out, D'], got " + java.util.Arrays.toString(cw) + " -> "
                    + java.util.Arrays.toString(nw) + " and " + java.util.Arrays.toString(di) + " -> " + java.util.Arrays.toString(ni));
        int in = (int) cw[1], out = (int) di[0];

        float[] w = dst.get(NAMES.get(0)).toFloatArray();
        System.arraycopy(src.get(NAMES.get(0)).toFloatArray(), 0, w, 0, d * in);
        dst.get(NAMES.get(0)).set(w);
        float[] b = dst.get(NAMES.get(1)).toFloatArray();
        System.arraycopy(src.get(NAMES.get(1)).toFloatArray(), 0, b, 0, d);
        dst.get(NAMES.get(1)).set(b);

        float scale = (float) Math.sqrt((double) dNew / d);
        float[] old = src.get(NAMES.get(2)).toFloatArray();
        float[] p = new float[out * dNew];
        for (int o = 0; o < out; o++)
            for (int i = 0; i < d; i++) p[o * dNew + i] = old[o * d + i] * scale;
        dst.get(NAMES.get(2)).set(p);
        dst.get(NAMES.get(3)).set(src.get(NAMES.get(3)).toFloatArray());
        return d;
    }
}
