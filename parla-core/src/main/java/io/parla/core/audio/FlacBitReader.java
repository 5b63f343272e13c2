package io.parla.core.audio;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian bit reader over an in-memory FLAC stream. Bits are served from a 64-bit cache refilled eight bytes
 * at a time; every refill is bounded by the end of the array, and a request the remaining bits cannot satisfy
 * throws {@link AudioFormatException}, so corrupt input never reads out of bounds.
 *
 * <p>Rice decoding lives here rather than in the subframe decoder because it is the hot loop of FLAC decoding:
 * working on the cache in local variables avoids a method call and two field writes per residual.
 */
final class FlacBitReader {
    private static final VarHandle BIG_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    /** A valid residual fits in 32 bits, so a longer unary prefix can only be corruption. */
    private static final int MAX_UNARY = 1 << 30;

    private final byte[] buf;
    private final int limit;
    private final String name;
    /** The next byte to load into the cache. */
    private int pos;
    /** Unread bits, left-aligned; the bits below the valid ones are zero. */
    private long cache;
    private int bits;

    FlacBitReader(byte[] buf, int limit, String name) {
        this.buf = buf;
        this.limit = limit;
        this.name = name;
    }

    byte[] buffer() {
        return buf;
    }

    /** The byte offset of the next unread bit, rounded down to its byte. */
    int bytePosition() {
        return pos - (bits + 7 >>> 3);
    }

    int bytesLeft() {
        return limit - bytePosition();
    }

    boolean isByteAligned() {
        return (bits & 7) == 0;
    }

    void seek(int bytePosition) {
        pos = bytePosition;
        cache = 0;
        bits = 0;
    }

    void alignToByte() {
        int drop = bits & 7;
        cache <<= drop;
        bits -= drop;
    }

    /** Reads {@code n} (0 to 32) bits as an unsigned value; for 32 the result is the bit pattern. */
    int readBits(int n) {
        if (n == 0) return 0;
        if (bits < n) fill(n);
        int v = (int) (cache >>> (64 - n));
        cache <<= n;
        bits -= n;
        return v;
    }

    /** Reads {@code n} (1 to 56) bits as a two's complement value. */
    long readSigned(int n) {
        if (bits < n) fill(n);
        long v = cache >> (64 - n);
        cache <<= n;
        bits -= n;
        return v;
    }

    /** Counts zero bits up to and including the next one bit; returns the count of zeros. */
    int readUnary() {
        int count = 0;
        while (true) {
            if (bits == 0) fill(1);
            int zeros = Long.numberOfLeadingZeros(cache);
            if (zeros < bits) {
                cache = cache << zeros << 1;
                bits -= zeros + 1;
                return count + zeros;
            }
            count += bits;
            cache = 0;
            bits = 0;
            if (count > MAX_UNARY) throw corrupt("unary code longer than " + MAX_UNARY + " bits");
        }
    }

    /**
     * Reads Rice codes with parameter {@code k} (0 to 30) and stores their zig-zag decoded values in
     * {@code dst[from..to)}.
     */
    void readRice(long[] dst, int from, int to, int k) {
        long c = cache;
        int b = bits;
        for (int i = from; i < to; i++) {
            int zeros = Long.numberOfLeadingZeros(c);
            int length = zeros + 1 + k;
            int u;
            if (length <= b) {
                c <<= zeros;
                // Shifted apart so that k = 0 yields 0 rather than the whole cache.
                u = zeros << k | (int) (c << 1 >>> 1 >>> (63 - k));
                c = c << 1 << k;
                b -= length;
            } else {
                cache = c;
                bits = b;
                u = readUnary() << k | readBits(k);
                c = cache;
                b = bits;
            }
            dst[i] = (u >>> 1) ^ -(u & 1);
            if (b < 40 && pos < limit) {
                cache = c;
                bits = b;
                refill();
                c = cache;
                b = bits;
            }
        }
        cache = c;
        bits = b;
    }

    private void fill(int needed) {
        refill();
        if (bits < needed) throw corrupt("truncated (needed " + needed + " more bits at the end of the stream)");
    }

    private void refill() {
        if (pos + 8 <= limit) {
            int bytes = (64 - bits) >>> 3;
            if (bytes == 0) return;
            long word = (long) BIG_LONG.get(buf, pos) & (-1L << (64 - 8 * bytes));
            cache |= word >>> bits;
            bits += 8 * bytes;
            pos += bytes;
        } else {
            while (bits <= 56 && pos < limit) {
                cache |= (buf[pos++] & 0xFFL) << (56 - bits);
                bits += 8;
            }
        }
    }

    AudioFormatException corrupt(String problem) {
        return new AudioFormatException(name, "corrupt FLAC stream at byte " + bytePosition() + ": " + problem);
    }
}
