package io.parla.core.audio;

/**
 * The two checksums of a FLAC frame: CRC-8 (polynomial 0x07) over its header, CRC-16 (0x8005) over all of it.
 *
 * <p>CRC-16 covers every compressed byte, so it is computed eight bytes per step ("slicing by eight"): table k
 * holds the CRC of a byte followed by k zero bytes, and the eight lookups of a step are independent of each other
 * instead of forming one chain of eight.
 */
final class FlacCrc {
    private static final byte[] CRC8 = new byte[256];
    private static final int[][] CRC16 = new int[8][256];

    static {
        for (int i = 0; i < 256; i++) {
            int c8 = i;
            int c16 = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
                c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
            }
            CRC8[i] = (byte) c8;
            CRC16[0][i] = c16 & 0xFFFF;
        }
        for (int k = 1; k < 8; k++)
            for (int i = 0; i < 256; i++) {
                int prev = CRC16[k - 1][i];
                CRC16[k][i] = (prev << 8 & 0xFFFF) ^ CRC16[0][prev >>> 8];
            }
    }

    private FlacCrc() {}

    static int crc8(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = CRC8[(crc ^ b[i]) & 0xFF] & 0xFF;
        return crc;
    }

    static int crc16(byte[] b, int from, int to) {
        int[] t0 = CRC16[0], t1 = CRC16[1], t2 = CRC16[2], t3 = CRC16[3];
        int[] t4 = CRC16[4], t5 = CRC16[5], t6 = CRC16[6], t7 = CRC16[7];
        int crc = 0;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            int x = crc ^ ((b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF));
            crc = t7[x >>> 8] ^ t6[x & 0xFF] ^ t5[b[i + 2] & 0xFF] ^ t4[b[i + 3] & 0xFF]
                    ^ t3[b[i + 4] & 0xFF] ^ t2[b[i + 5] & 0xFF] ^ t1[b[i + 6] & 0xFF] ^ t0[b[i + 7] & 0xFF];
        }
        for (; i < to; i++) crc = (crc << 8 & 0xFFFF) ^ t0[(crc >>> 8) ^ (b[i] & 0xFF)];
        return crc;
    }
}
