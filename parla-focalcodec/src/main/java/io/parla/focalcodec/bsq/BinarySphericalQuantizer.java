package io.parla.focalcodec.bsq;

/**
 * {@code quantizer}: L2-normalised latents are quantised to the nearest corner of the hypercube on the unit
 * sphere, {@code +-1/sqrt(D)} per dimension. A token packs the sign bits, dimension 0 most significant.
 * No parameters.
 */
public final class BinarySphericalQuantizer {
    private final int bits;
    private final float value;

    public BinarySphericalQuantizer(int codebookSize) {
        if (Integer.bitCount(codebookSize) != 1 || codebookSize < 2 || codebookSize > (1 << 30))
            throw new IllegalArgumentException("codebook size must be a power of two in [2, 2^30], got " + codebookSize);
        this.bits = Integer.numberOfTrailingZeros(codebookSize);
        this.value = (float) (1.0 / Math.sqrt(bits));
    }

    public int bits() {
        return bits;
    }

    public int codebookSize() {
        return 1 << bits;
    }

    /** {@code lats = raw / max(||raw||, 1e-12)} per frame ({@code [T, D]}). */
    public float[] normalize(float[] raw, int frames) {
        float[] out = new float[frames * bits];
        for (int t = 0; t < frames; t++) {
            double s = 0;
            for (int i = 0; i < bits; i++) s += (double) raw[t * bits + i] * raw[t * bits + i];
            float n = (float) Math.max(Math.sqrt(s), 1e-12);
            for (int i = 0; i < bits; i++) out[t * bits + i] = raw[t * bits + i] / n;
        }
        return out;
    }

    /** Tokens of {@code [T, D]} latents; a latent of exactly 0 gives bit 0 (strict {@code > 0}). */
    public int[] latsToToks(float[] lats, int frames) {
        int[] toks = new int[frames];
        for (int t = 0; t < frames; t++) {
            int tok = 0;
            for (int i = 0; i < bits; i++) tok = (tok << 1) | (lats[t * bits + i] > 0 ? 1 : 0);
            toks[t] = tok;
        }
        return toks;
    }

    public float[] latsToCodes(float[] lats, int frames) {
        float[] codes = new float[frames * bits];
        for (int i = 0; i < codes.length; i++) codes[i] = lats[i] > 0 ? value : -value;
        return codes;
    }

    /** @throws IllegalArgumentException naming the first token outside {@code [0, 2^D)} */
    public float[] toksToCodes(int[] toks) {
        float[] codes = new float[toks.length * bits];
        for (int t = 0; t < toks.length; t++) {
            int tok = toks[t];
            if (tok < 0 || (bits < 31 && tok >= (1 << bits)))
                throw new IllegalArgumentException("token " + tok + " at position " + t + " is out of range for a "
                        + bits + "-bit codebook [0, " + ((1L << bits) - 1) + "]");
            for (int i = 0; i < bits; i++)
                codes[t * bits + i] = ((tok >>> (bits - 1 - i)) & 1) == 1 ? value : -value;
        }
        return codes;
    }

    public int[] codesToToks(float[] codes, int frames) {
        return latsToToks(codes, frames);
    }
}
