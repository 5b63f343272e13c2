package io.parla.core.audio;

/** The two checksums of a FLAC frame: CRC-8 (polynomial 0x07) over its header, CRC-16 (0x8005) over all of it. */
final class FlacCrc {
    private static final byte[] CRC8 = new byte[256];
    private static final short[] CRC16 = new short[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c8 = i;
            int c16 = i << 8;
            for (int bit = 0; bit < 8; bit++) {
                c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
                c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
            }
            CRC8[i] = (byte) c8;
            CRC16[i] = (short) c16;
        }
    }

    private FlacCrc() {}

    static int crc8(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = CRC8[(crc ^ b[i]) & 0xFF] & 0xFF;
        return crc;
    }

    static int crc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) crc = ((crc << 8) ^ CRC16[((crc >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        return crc;
    }
}
