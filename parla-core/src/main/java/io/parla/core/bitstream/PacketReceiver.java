package io.parla.core.bitstream;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * A jitter buffer for {@link NetworkPacket} datagrams: takes them in any order and hands out the stream's tokens in
 * order, with lost packets' tokens replaced as the {@link Concealment} policy says.
 *
 * <ul>
 *   <li>The first accepted packet fixes the stream (its stream id, sequence number and token index); packets of
 *       another model tag, codebook width or stream id are rejected as {@link Status#FOREIGN}.
 *   <li>A packet that arrives before the one it follows is held, at most {@code reorderWindow} of them. When one
 *       more would have to be held, the missing packets are declared lost and the held ones released.
 *       {@link #drain()} does the same at once (call it at end of stream or from a playout timer).
 *   <li>The tokens missing between released packets follow from the token indices; they are concealed when the
 *       packet after the gap is released (capped at {@code maxConcealTokens} per gap).
 *   <li>A packet older than the next expected one is {@link Status#LATE} (if its slot was declared lost) or a
 *       {@link Status#DUPLICATE} (if it was delivered or is held); it changes nothing.
 *   <li>Datagrams that fail {@link NetworkPacket#decode} count as {@link Status#CORRUPT}. Nothing throws.
 * </ul>
 *
 * Memory is bounded: at most {@code reorderWindow} held packets, a fixed 1024-entry history, plus the tokens
 * waiting to be {@link #poll()}ed. Not thread-safe.
 */
public final class PacketReceiver {
    /** What to put in place of the tokens of lost packets. */
    public enum Concealment {
        /** Default: repeat the last delivered token (the silence token if none was delivered yet). */
        REPEAT_LAST,
        /** The caller's silence token, e.g. the token the codec emits for digital silence. */
        SILENCE_TOKEN,
        /** Nothing: the output is shorter than the stream by the lost tokens. */
        SKIP
    }

    /** What {@link #accept} did with a datagram. */
    public enum Status { ACCEPTED, DUPLICATE, LATE, CORRUPT, FOREIGN }

    /**
     * Counters since construction.
     *
     * @param received packets accepted (held or delivered)
     * @param lost packets declared lost
     * @param late packets that arrived after their slot was declared lost or after the end of stream
     * @param duplicate packets received again
     * @param corrupt datagrams that failed to decode (CRC, length, version ...)
     * @param foreign packets of another model, codebook width or stream
     * @param deliveredTokens tokens handed out that came from packets
     * @param concealedTokens tokens handed out (or skipped, for SKIP) in place of lost ones
     */
    public record Stats(long received, long lost, long late, long duplicate, long corrupt, long foreign,
            long deliveredTokens, long concealedTokens) {
    }

    public static final int DEFAULT_REORDER_WINDOW = 8;
    public static final int DEFAULT_MAX_CONCEAL_TOKENS = 3000;
    private static final int HISTORY = 1024;

    private final int modelTag;
    private final int bits;
    private final int reorderWindow;
    private final Concealment concealment;
    private final int silenceToken;
    private final int maxConcealTokens;
    private final String source;

    private final TreeMap<Long, NetworkPacket> held = new TreeMap<>();
    private final long[] historySeq = new long[HISTORY];
    private final boolean[] historyDelivered = new boolean[HISTORY];
    private int[] output = new int[256];
    private int outputCount;

    private boolean started;
    private boolean finished;
    private int streamId;
    private long nextSeq;
    private long nextToken;
    private int lastToken;
    private boolean haveLast;
    private String lastProblem;

    private long received, lost, late, duplicate, corrupt, foreign, deliveredTokens, concealedTokens;

    /** A receiver with the defaults: reorder window 8, {@link Concealment#REPEAT_LAST}, silence token 0. */
    public PacketReceiver(byte[] modelHash, int codebookBits) {
        this(modelHash, codebookBits, DEFAULT_REORDER_WINDOW, Concealment.REPEAT_LAST, 0, DEFAULT_MAX_CONCEAL_TOKENS,
                "network");
    }

    /**
     * @param modelHash SHA-256 of the model the receiver decodes with; packets with another tag are foreign
     * @param codebookBits expected codebook width
     * @param reorderWindow packets held while waiting for a missing one, 0..1000 (0: a gap is declared lost at once)
     * @param concealment what replaces lost tokens
     * @param silenceToken the token for {@link Concealment#SILENCE_TOKEN} (and REPEAT_LAST before any token)
     * @param maxConcealTokens most tokens concealed for one gap (a longer gap is a jump in the stream)
     * @param source names the peer in {@link #lastProblem()}
     */
    public PacketReceiver(byte[] modelHash, int codebookBits, int reorderWindow, Concealment concealment,
            int silenceToken, int maxConcealTokens, String source) {
        BitPacker.checkWidth(codebookBits);
        if (reorderWindow < 0 || reorderWindow > 1000) throw new IllegalArgumentException("reorder window must be 0..1000");
        if (maxConcealTokens < 0) throw new IllegalArgumentException("max conceal tokens must be >= 0");
        BitPacker.requireInRange(new int[] {silenceToken}, 0, 1, codebookBits);
        this.modelTag = NetworkPacket.modelTag(modelHash);
        this.bits = codebookBits;
        this.reorderWindow = reorderWindow;
        this.concealment = concealment;
        this.silenceToken = silenceToken;
        this.maxConcealTokens = maxConcealTokens;
        this.source = source;
        Arrays.fill(historySeq, -1);
    }

    /** Takes one datagram. */
    public Status accept(byte[] datagram) {
        return accept(datagram, 0, datagram.length);
    }

    /** Takes the datagram {@code data[off .. off+len)}. */
    public Status accept(byte[] data, int off, int len) {
        NetworkPacket p;
        try {
            p = NetworkPacket.decode(data, off, len, source);
        } catch (BitstreamException e) {
            corrupt++;
            lastProblem = e.getMessage();
            return Status.CORRUPT;
        }
        return accept(p);
    }

    /** Takes one decoded packet. */
    public Status accept(NetworkPacket p) {
        if (p.modelTag() != modelTag || p.codebookBits() != bits) {
            foreign++;
            lastProblem = String.format("%s: packet %d is from another model (tag %08x, %d bits; expected %08x, %d bits)",
                    source, p.sequence(), p.modelTag(), p.codebookBits(), modelTag, bits);
            return Status.FOREIGN;
        }
        if (!started) {
            started = true;
            streamId = p.streamId();
            nextSeq = p.sequence();
            nextToken = p.firstTokenIndex();
        } else if (p.streamId() != streamId) {
            foreign++;
            lastProblem = String.format("%s: packet %d belongs to stream %08x, not %08x", source, p.sequence(),
                    p.streamId(), streamId);
            return Status.FOREIGN;
        }
        long seq = nextSeq + (short) (p.sequence() - (int) nextSeq);
        if (seq < nextSeq || finished) {
            int slot = (int) (seq & (HISTORY - 1));
            if (historySeq[slot] == seq && historyDelivered[slot]) {
                duplicate++;
                return Status.DUPLICATE;
            }
            late++;
            return Status.LATE;
        }
        if (held.containsKey(seq)) {
            duplicate++;
            return Status.DUPLICATE;
        }
        received++;
        held.put(seq, p);
        release(false);
        return Status.ACCEPTED;
    }

    /** Declares every gap before the held packets lost and releases them all. */
    public void drain() {
        release(true);
    }

    /** The tokens ready in stream order (concealed ones included), removing them from the receiver. */
    public int[] poll() {
        int[] out = Arrays.copyOf(output, outputCount);
        outputCount = 0;
        return out;
    }

    /** Tokens waiting for {@link #poll()}. */
    public int available() {
        return outputCount;
    }

    /** Whether the END_OF_STREAM packet has been released. */
    public boolean isFinished() {
        return finished;
    }

    /** Packets held waiting for a missing one (never more than the reorder window). */
    public int heldPackets() {
        return held.size();
    }

    /** Why the last CORRUPT or FOREIGN datagram was rejected, or null. */
    public String lastProblem() {
        return lastProblem;
    }

    public Stats stats() {
        return new Stats(received, lost, late, duplicate, corrupt, foreign, deliveredTokens, concealedTokens);
    }

    private void release(boolean all) {
        while (!held.isEmpty()) {
            long first = held.firstKey();
            if (first != nextSeq) {
                if (!all && held.size() <= reorderWindow) return;
                for (long s = Math.max(nextSeq, first - HISTORY); s < first; s++) remember(s, false);
                lost += first - nextSeq;
                nextSeq = first;
            }
            Map.Entry<Long, NetworkPacket> e = held.pollFirstEntry();
            deliver(e.getValue());
            remember(e.getKey(), true);
            nextSeq = e.getKey() + 1;
            if (e.getValue().endOfStream()) {
                finished = true;
                held.clear(); // anything numbered after the end of stream is bogus

            }
        }
    }

    private void deliver(NetworkPacket p) {
        long gap = (int) (p.firstTokenIndex() - nextToken);
        int skip = 0;
        if (gap > 0) {
            conceal((int) Math.min(gap, maxConcealTokens));
        } else if (gap < 0) {
            skip = (int) Math.min(-gap, p.tokenCount());
        }
        int n = p.tokenCount();
        for (int i = skip; i < n; i++) append(p.token(i));
        deliveredTokens += n - skip;
        if (n > skip) {
            lastToken = p.token(n - 1);
            haveLast = true;
        }
        nextToken = Math.max(nextToken, nextToken + gap + n);
    }

    private void conceal(int n) {
        concealedTokens += n;
        if (concealment == Concealment.SKIP) return;
        int token = concealment == Concealment.REPEAT_LAST && haveLast ? lastToken : silenceToken;
        for (int i = 0; i < n; i++) append(token);
    }

    private void append(int token) {
        if (outputCount == output.length) output = Arrays.copyOf(output, output.length * 2);
        output[outputCount++] = token;
    }

    private void remember(long seq, boolean delivered) {
        int slot = (int) (seq & (HISTORY - 1));
        historySeq[slot] = seq;
        historyDelivered[slot] = delivered;
    }
}
