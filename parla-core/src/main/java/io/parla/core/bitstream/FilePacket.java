package io.parla.core.bitstream;

/**
 * Layout of one packet of a {@code .parla} file (format version 1):
 *
 * <pre>
 *   u8   marker: bit 7 END, bit 6 SHORT, bit 5 reserved (0), bits 4..0 packet index mod 32
 *   u16  token count n          (only if SHORT; otherwise n = tokensPerPacket)
 *   ...  ceil(n * bits / 8) bytes of packed tokens, zero-padded
 *   u16  CRC-16/IBM-3740 over: u32 packet index (big-endian), then every byte of the packet before the CRC
 * </pre>
 */
final class FilePacket {
    static final int END = 0x80;
    static final int SHORT = 0x40;
    static final int RESERVED = 0x20;
    static final int SEQ_MASK = 0x1F;
    static final int CRC_BYTES = 2;

    private FilePacket() {
    }

    static int marker(long index, boolean end, boolean isShort) {
        return (end ? END : 0) | (isShort ? SHORT : 0) | (int) (index & SEQ_MASK);
    }

    /** The packet's CRC: the packet index first, so lost, repeated or swapped packets fail the check. */
    static int crc(long index, byte[] packet, int len) {
        return new Crc16().updateInt((int) index).update(packet, 0, len).value();
    }
}
