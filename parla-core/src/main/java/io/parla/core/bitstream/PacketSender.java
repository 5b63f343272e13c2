package io.parla.core.bitstream;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Cuts a live token stream into {@link NetworkPacket} datagrams of a fixed number of tokens, numbering them
 * (sequence numbers wrap at 2^16, token indices at 2^32). Not thread-safe.
 */
public final class PacketSender {
    private final int modelTag;
    private final int streamId;
    private final int bits;
    private final int[] pending;
    private int pendingCount;
    private int sequence;
    private long nextTokenIndex;
    private boolean finished;

    /**
     * @param modelHash the model's SHA-256; its first 4 bytes become the model tag
     * @param streamId identifies this stream (e.g. random per connection)
     * @param tokensPerPacket tokens per datagram, 1..65535 (e.g. 4 = 80 ms at 50 Hz)
     */
    public PacketSender(byte[] modelHash, int streamId, int codebookBits, int tokensPerPacket) {
        this(modelHash, streamId, codebookBits, tokensPerPacket, 0);
    }

    /** As above, starting at sequence number {@code firstSequence} (0..65535). */
    public PacketSender(byte[] modelHash, int streamId, int codebookBits, int tokensPerPacket, int firstSequence) {
        BitPacker.checkWidth(codebookBits);
        if (tokensPerPacket < 1 || tokensPerPacket > 0xFFFF) throw new IllegalArgumentException("tokens per packet must be 1..65535");
        if (firstSequence < 0 || firstSequence > 0xFFFF) throw new IllegalArgumentException("sequence must be 0..65535");
        this.modelTag = NetworkPacket.modelTag(modelHash);
        this.streamId = streamId;
        this.bits = codebookBits;
        this.pending = new int[tokensPerPacket];
        this.sequence = firstSequence;
    }

    /** Buffers {@code tokens} and returns the datagrams of every packet they complete. */
    public List<byte[]> push(int[] tokens) {
        if (finished) throw new IllegalStateException("stream already finished");
        BitPacker.requireInRange(tokens, 0, tokens.length, bits);
        List<byte[]> out = new ArrayList<>();
        for (int t : tokens) {
            pending[pendingCount++] = t;
            if (pendingCount == pending.length) out.add(packet(false));
        }
        return out;
    }

    /** The buffered tokens as a short packet now, or {@code null} if none are buffered. */
    public byte[] flush() {
        if (finished) throw new IllegalStateException("stream already finished");
        return pendingCount == 0 ? null : packet(false);
    }

    /** The last packet: buffered tokens (possibly none) with END_OF_STREAM set. */
    public byte[] finish() {
        if (finished) throw new IllegalStateException("stream already finished");
        finished = true;
        return packet(true);
    }

    private byte[] packet(boolean end) {
        NetworkPacket p = new NetworkPacket(sequence, modelTag, streamId, nextTokenIndex & 0xFFFF_FFFFL, bits, end,
                Arrays.copyOf(pending, pendingCount));
        sequence = (sequence + 1) & 0xFFFF;
        nextTokenIndex += pendingCount;
        pendingCount = 0;
        return p.encode();
    }
}
