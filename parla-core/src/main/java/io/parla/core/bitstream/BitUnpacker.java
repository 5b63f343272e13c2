package io.parla.core.bitstream;

/**
 * The inverse of {@link BitPacker}: reads {@code count} tokens of {@code bits} bits (1..32), most significant bit
 * first. For 32-bit codebooks tokens at or above 2^31 come back as negative {@code int}s with the same bits.
 */
public final class BitUnpacker {
    private BitUnpacker() {
    }

    /** Unpacks {@code count} tokens from {@code src} starting at {@code srcOff}. */
    public static int[] unpack(byte[] src, int srcOff, int count, int bits) {
        int[] out = new int[count];
        unpack(src, srcOff, count, bits, out, 0);
        return out;
    }

    /**
     * Unpacks {@code count} tokens from {@code src[srcOff ..]} into {@code dst[dstOff ..]} and returns whether the
     * padding bits after the last token (up to the next byte boundary) are all zero, as the format requires.
     *
     * @throws IndexOutOfBoundsException if {@code src} holds fewer than {@code ceil(count*bits/8)} bytes from
     *     {@code srcOff}
     */
    public static boolean unpack(byte[] src, int srcOff, int count, int bits, int[] dst, int dstOff) {
        BitPacker.checkWidth(bits);
        long needed = BitPacker.packedBytes(count, bits);
        if (srcOff < 0 || srcOff + needed > src.length) {
            throw new IndexOutOfBoundsException(needed + " bytes from " + srcOff + " in an array of " + src.length);
        }
        long acc = 0;
        int avail = 0;
        int s = srcOff;
        long mask = (1L << bits) - 1;
        for (int i = 0; i < count; i++) {
            while (avail < bits) {
                acc = (acc << 8) | (src[s++] & 0xFF);
                avail += 8;
            }
            avail -= bits;
            dst[dstOff + i] = (int) ((acc >>> avail) & mask);
            acc &= (1L << avail) - 1;
        }
        return acc == 0;
    }
}
