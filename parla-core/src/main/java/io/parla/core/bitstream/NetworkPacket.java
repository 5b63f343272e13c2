package io.parla.core.bitstream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * One datagram of a live Parla stream (network format version 1; see {@code docs/bitstream.md}):
 *
 * <pre>
 *   0  u8   version (high nibble, 1) | flags (low nibble: bit 0 END_OF_STREAM, bits 1..3 reserved 0)
 *   1  u8   codebook bits b, 1..32
 *   2  u16  sequence number, wraps 65535 -> 0
 *   4  u32  model tag: the first 4 bytes of the model's SHA-256
 *   8  u32  stream id, chosen by the sender per stream
 *  12  u32  index of the first token in the stream, wraps 2^32 -> 0
 *  16  u16  token count n
 *  18  ...  ceil(n * b / 8) bytes of packed tokens, zero-padded
 *  ..  u32  CRC-32C over every byte before it
 * </pre>
 *
 * @param sequence 0..65535
 * @param modelTag first 4 bytes of the model hash, big-endian ({@link #modelTag(byte[])})
 * @param streamId any value; identifies one stream of one sender
 * @param firstTokenIndex 0..2^32-1: position of {@code tokens[0]} in the stream, modulo 2^32
 * @param codebookBits 1..32
 * @param endOfStream set on the sender's last packet
 * @param tokens 0..65535 tokens, each fitting {@code codebookBits}
 */
public record NetworkPacket(int sequence, int modelTag, int streamId, long firstTokenIndex, int codebookBits,
        boolean endOfStream, int[] tokens) {
    public static final int VERSION = 1;
    /** Bytes besides the packed tokens. */
    public static final int OVERHEAD_BYTES = 22;
    static final int HEADER_BYTES = 18;
    static final int FLAG_END = 0x01;

    public NetworkPacket {
        if (sequence < 0 || sequence > 0xFFFF) throw new IllegalArgumentException("sequence must be 0..65535, got " + sequence);
        if (firstTokenIndex < 0 || firstTokenIndex > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("first token index must be 0..2^32-1 (take it modulo 2^32), got "
                    + firstTokenIndex);
        }
        BitPacker.checkWidth(codebookBits);
        if (tokens.length > 0xFFFF) throw new IllegalArgumentException("at most 65535 tokens per packet, got " + tokens.length);
        tokens = tokens.clone();
        BitPacker.requireInRange(tokens, 0, tokens.length, codebookBits);
    }

    /** A copy of the tokens. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    int tokenCount() {
        return tokens.length;
    }

    int token(int i) {
        return tokens[i];
    }

    /** The model tag of {@code sha256}: its first 4 bytes as a big-endian int. */
    public static int modelTag(byte[] sha256) {
        if (sha256.length < 4) throw new IllegalArgumentException("model hash too short");
        return ByteBuffer.wrap(sha256).getInt();
    }

    /** The datagram bytes. */
    public byte[] encode() {
        int payload = (int) BitPacker.packedBytes(tokens.length, codebookBits);
        ByteBuffer buf = ByteBuffer.allocate(OVERHEAD_BYTES + payload);
        buf.put((byte) (VERSION << 4 | (endOfStream ? FLAG_END : 0))).put((byte) codebookBits);
        buf.putShort((short) sequence).putInt(modelTag).putInt(streamId).putInt((int) firstTokenIndex);
        buf.putShort((short) tokens.length);
        BitPacker.pack(tokens, 0, tokens.length, codebookBits, buf.array(), HEADER_BYTES);
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, HEADER_BYTES + payload);
        buf.putInt(HEADER_BYTES + payload, (int) crc.getValue());
        return buf.array();
    }

    /** Decodes a whole datagram. */
    public static NetworkPacket decode(byte[] datagram, String source) {
        return decode(datagram, 0, datagram.length, source);
    }

    /**
     * Decodes the datagram {@code data[off .. off+len)}: version, CRC, reserved flags, codebook width, exact length
     * and zero padding are all checked.
     *
     * @param source names the data in error messages, e.g. the peer address
     * @throws BitstreamException if the datagram is not a valid version-1 packet
     */
    public static NetworkPacket decode(byte[] data, int off, int len, String source) {
        java.util.Objects.checkFromIndexSize(off, len, data.length);
        if (len < OVERHEAD_BYTES) {
            throw new BitstreamException(source + ": truncated network packet: " + len + " bytes, at least "
                    + OVERHEAD_BYTES + " needed");
        }
        ByteBuffer buf = ByteBuffer.wrap(data, off, len).slice();
        int first = buf.get(0) & 0xFF;
        if (first >>> 4 != VERSION) {
            throw new BitstreamException(source + ": unsupported network packet version " + (first >>> 4)
                    + " (this Parla reads version " + VERSION + ")");
        }
        CRC32C crc = new CRC32C();
        crc.update(data, off, len - 4);
        if ((int) crc.getValue() != buf.getInt(len - 4)) {
            throw new BitstreamException(source + ": network packet: CRC mismatch (data corrupted)");
        }
        if ((first & 0x0E) != 0) {
            throw new BitstreamException(source + String.format(": network packet: reserved flags 0x%x set", first & 0x0E));
        }
        int bits = buf.get(1) & 0xFF;
        if (bits < 1 || bits > 32) {
            throw new BitstreamException(source + ": network packet: codebook bits " + bits + " out of range 1..32");
        }
        int sequence = buf.getShort(2) & 0xFFFF;
        int count = buf.getShort(16) & 0xFFFF;
        long payload = BitPacker.packedBytes(count, bits);
        if (OVERHEAD_BYTES + payload != len) {
            throw new BitstreamException(source + ": network packet " + sequence + ": " + len + " bytes but " + count
                    + " tokens of " + bits + " bits need " + (OVERHEAD_BYTES + payload) + " (truncated or padded)");
        }
        int[] tokens = new int[count];
        if (!BitUnpacker.unpack(data, off + HEADER_BYTES, count, bits, tokens, 0)) {
            throw new BitstreamException(source + ": network packet " + sequence + ": padding bits are not zero");
        }
        return new NetworkPacket(sequence, buf.getInt(4), buf.getInt(8), buf.getInt(12) & 0xFFFF_FFFFL, bits,
                (first & FLAG_END) != 0, tokens);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkPacket p && p.sequence == sequence && p.modelTag == modelTag && p.streamId == streamId
                && p.firstTokenIndex == firstTokenIndex && p.codebookBits == codebookBits
                && p.endOfStream == endOfStream && Arrays.equals(p.tokens, tokens);
    }

    @Override
    public int hashCode() {
        return (sequence * 31 + streamId) * 31 + Arrays.hashCode(tokens);
    }

    @Override
    public String toString() {
        return "NetworkPacket[seq=" + sequence + ", tag=" + String.format("%08x", modelTag) + ", stream="
                + String.format("%08x", streamId) + ", firstToken=" + firstTokenIndex + ", " + tokens.length + " x "
                + codebookBits + " bits" + (endOfStream ? ", END" : "") + "]";
    }
}
