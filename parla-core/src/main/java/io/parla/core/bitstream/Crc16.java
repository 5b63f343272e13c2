package io.parla.core.bitstream;

/**
 * CRC-16/IBM-3740 (also called CRC-16/CCITT-FALSE): polynomial 0x1021, initial value 0xFFFF, no reflection,
 * no final XOR; the check value of the ASCII bytes "123456789" is 0x29B1.
 */
final class Crc16 {
    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c = i << 8;
            for (int k = 0; k < 8; k++) c = (c & 0x8000) != 0 ? (c << 1) ^ 0x1021 : c << 1;
            TABLE[i] = c & 0xFFFF;
        }
    }

    private int crc = 0xFFFF;

    Crc16 update(byte[] b, int off, int len) {
        int c = crc;
        for (int i = off, end = off + len; i < end; i++) c = ((c << 8) ^ TABLE[((c >>> 8) ^ b[i]) & 0xFF]) & 0xFFFF;
        crc = c;
        return this;
    }

    Crc16 updateInt(int v) {
        return update(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v}, 0, 4);
    }

    int value() {
        return crc;
    }
}
