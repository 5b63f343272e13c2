package io.parla.core.bitstream;

/**
 * Packs unsigned tokens of a fixed width (1..32 bits) into bytes: most significant bit first, tokens back to
 * back with no gaps, the last byte padded with zero bits. {@code n} tokens of {@code b} bits take exactly
 * {@link #packedBytes(long, int) ceil(n*b/8)} bytes.
 *
 * <p>For 32-bit codebooks every {@code int} is a valid token (its bit pattern is the unsigned value); for
 * narrower codebooks a token must lie in {@code 0 .. 2^b-1}, anything else is a {@link BitstreamException}.
 */
public final class BitPacker {
    private BitPacker() {
    }

    /** Bytes that {@code count} tokens of {@code bits} bits take, padding included. */
    public static long packedBytes(long count, int bits) {
        checkWidth(bits);
        if (count < 0) throw new IllegalArgumentException("negative token count " + count);
        return Math.ceilDiv(count * bits, 8);
    }

    /** Packs {@code tokens} into a new array. */
    public static byte[] pack(int[] tokens, int bits) {
        return pack(tokens, 0, tokens.length, bits);
    }

    /** Packs {@code tokens[off .. off+len)} into a new array. */
    public static byte[] pack(int[] tokens, int off, int len, int bits) {
        byte[] out = new byte[Math.toIntExact(packedBytes(len, bits))];
        pack(tokens, off, len, bits, out, 0);
        return out;
    }

    /**
     * Packs {@code tokens[off .. off+len)} into {@code dst} from {@code dstOff} and returns the number of bytes
     * written ({@code ceil(len*bits/8)}).
     *
     * @throws BitstreamException if a token does not fit in {@code bits} bits; nothing is guaranteed about
     *     {@code dst} then
     */
    public static int pack(int[] tokens, int off, int len, int bits, byte[] dst, int dstOff) {
        checkWidth(bits);
        requireInRange(tokens, off, len, bits);
        long acc = 0;
        int pending = 0;
        int o = dstOff;
        long mask = (1L << bits) - 1;
        for (int i = off, end = off + len; i < end; i++) {
            acc = (acc << bits) | (tokens[i] & mask);
            pending += bits;
            while (pending >= 8) {
                pending -= 8;
                dst[o++] = (byte) (acc >>> pending);
            }
            acc &= (1L << pending) - 1;
        }
        if (pending > 0) dst[o++] = (byte) (acc << (8 - pending));
        return o - dstOff;
    }

    /**
     * Throws unless every token in {@code tokens[off .. off+len)} fits in {@code bits} bits. The message names
     * the first bad token and its index, e.g. "token 5000 out of range for an 11-bit codebook (0..2047), at index 7".
     */
    public static void requireInRange(int[] tokens, int off, int len, int bits) {
        checkWidth(bits);
        if (bits == 32) return;
        for (int i = off, end = off + len; i < end; i++) {
            if (tokens[i] >>> bits != 0) {
                throw new BitstreamException("token " + tokens[i] + " out of range for " + codebookName(bits) + " (0.."
                        + ((1L << bits) - 1) + "), at index " + (i - off));
            }
        }
    }

    /** "an 11-bit codebook", "a 12-bit codebook". */
    static String codebookName(int bits) {
        return (bits == 8 || bits == 11 || bits == 18 ? "an " : "a ") + bits + "-bit codebook";
    }

    static void checkWidth(int bits) {
        if (bits < 1 || bits > 32) throw new IllegalArgumentException("codebook bits must be 1..32, got " + bits);
    }
}
