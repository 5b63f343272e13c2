package io.parla.core.audio;

/**
 * Converts mono floats to WAV sample bytes. Integers are produced by clipping to [-1, 1], scaling by
 * 2<sup>bits-1</sup> and rounding to nearest (no dither: the inputs are model outputs and test signals, where a
 * deterministic result matters more than decorrelated quantisation noise), then clamping +1.0 to the largest code.
 * This is the exact inverse of {@link WavSampleDecoder} for every value that decoder can produce.
 */
final class WavSampleEncoder {
    private WavSampleEncoder() {}

    static void encode(WavEncoding encoding, float[] src, int off, int n, byte[] dst) {
        int p = 0;
        switch (encoding) {
            case PCM_8 -> {
                for (int i = 0; i < n; i++) dst[p++] = (byte) (quantise(src[off + i], 128f) + 128);
            }
            case PCM_16 -> {
                for (int i = 0; i < n; i++, p += 2) LittleEndian.SHORT.set(dst, p, (short) quantise(src[off + i], 32768f));
            }
            case PCM_24 -> {
                for (int i = 0; i < n; i++, p += 3) {
                    int v = quantise(src[off + i], 8388608f);
                    dst[p] = (byte) v;
                    dst[p + 1] = (byte) (v >> 8);
                    dst[p + 2] = (byte) (v >> 16);
                }
            }
            case PCM_32 -> {
                for (int i = 0; i < n; i++, p += 4) {
                    // Doubles, because a float cannot hold 31 significant bits.
                    double x = Math.clamp(src[off + i], -1.0, 1.0) * 2147483648.0;
                    LittleEndian.INT.set(dst, p, (int) Math.min(Math.round(x), Integer.MAX_VALUE));
                }
            }
            case FLOAT_32 -> {
                for (int i = 0; i < n; i++, p += 4) LittleEndian.FLOAT.set(dst, p, src[off + i]);
            }
            case FLOAT_64 -> {
                for (int i = 0; i < n; i++, p += 8) LittleEndian.DOUBLE.set(dst, p, (double) src[off + i]);
            }
        }
    }

    /** Scale is a power of two no larger than 2^23, so the product is exact in float arithmetic. */
    private static int quantise(float x, float scale) {
        return Math.min(Math.round(Math.clamp(x, -1f, 1f) * scale), (int) scale - 1);
    }
}
