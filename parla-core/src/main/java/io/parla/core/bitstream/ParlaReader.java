package io.parla.core.bitstream;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.PrimitiveIterator;

/**
 * Reads a {@code .parla} stream: the header on construction, then packets in order, each checked (CRC, sequence
 * bits, flags, counts, zero padding) before any of its tokens is handed out. The stream must end with an end
 * packet and nothing after it; a stream that stops anywhere else is a {@link BitstreamException} naming where,
 * whether or not the header knows the token count. Every problem in the data is a {@link BitstreamException};
 * {@link IOException}s are only those of the underlying stream.
 */
public final class ParlaReader implements Closeable {
    private final InputStream in;
    private final String source;
    private final ParlaHeader header;
    private final int bits;
    private final int perPacket;
    private final byte[] packet;
    private long offset;
    private long packetIndex;
    private long tokensRead;
    private boolean ended;

    /**
     * Reads the header from {@code in}.
     *
     * @param sourceName names the data in error messages, e.g. the file name
     */
    public ParlaReader(InputStream in, String sourceName) throws IOException {
        this.in = in instanceof BufferedInputStream || in instanceof ByteArrayInputStream ? in
                : new BufferedInputStream(in, 1 << 16);
        this.source = sourceName;
        this.header = ParlaHeader.read(this.in, sourceName);
        this.offset = header.encodedLength();
        this.bits = header.codebookBits();
        this.perPacket = header.tokensPerPacket();
        this.packet = new byte[3 + (int) BitPacker.packedBytes(perPacket, bits) + FilePacket.CRC_BYTES];
    }

    /** Opens {@code file}; messages name it by its file name. */
    public static ParlaReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            return new ParlaReader(in, file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    public ParlaHeader header() {
        return header;
    }

    /** Tokens handed out so far. */
    public long tokensRead() {
        return tokensRead;
    }

    /** Bytes consumed so far. */
    public long position() {
        return offset;
    }

    /** Whether the end packet has been read and checked. */
    public boolean isAtEnd() {
        return ended;
    }

    /**
     * The tokens of the next packet (possibly none), or {@code null} once the end packet has been read and the
     * stream checked complete (token count matches the header, no data after the end packet).
     */
    public int[] nextPacket() throws IOException {
        if (ended) return null;
        long start = offset;
        int marker = in.read();
        if (marker < 0) {
            throw error(start, "truncated at a packet boundary after " + tokensRead + " tokens"
                    + (header.tokenCount() == ParlaHeader.UNKNOWN ? "" : " of " + header.tokenCount())
                    + " (the end packet is missing)");
        }
        offset++;
        if ((marker & FilePacket.RESERVED) != 0) {
            throw error(start, String.format("reserved flag bit set in marker 0x%02x (data corrupted)", marker));
        }
        if ((marker & FilePacket.SEQ_MASK) != (packetIndex & FilePacket.SEQ_MASK)) {
            throw error(start, "sequence number " + (marker & FilePacket.SEQ_MASK) + " where "
                    + (packetIndex & FilePacket.SEQ_MASK) + " was expected (data corrupted, or packets lost or reordered)");
        }
        boolean end = (marker & FilePacket.END) != 0;
        int p = 0;
        packet[p++] = (byte) marker;
        int count = perPacket;
        if ((marker & FilePacket.SHORT) != 0) {
            readFully(p, 2, start);
            count = ((packet[1] & 0xFF) << 8) | (packet[2] & 0xFF);
            p += 2;
            if (count > perPacket) {
                throw error(start, "token count " + count + " exceeds the " + perPacket
                        + " tokens per packet of the header (data corrupted)");
            }
        }
        int payload = (int) BitPacker.packedBytes(count, bits);
        readFully(p, payload + FilePacket.CRC_BYTES, start);
        int stored = ((packet[p + payload] & 0xFF) << 8) | (packet[p + payload + 1] & 0xFF);
        if (FilePacket.crc(packetIndex, packet, p + payload) != stored) {
            throw error(start, "CRC mismatch (data corrupted)");
        }
        int[] tokens = new int[count];
        if (!BitUnpacker.unpack(packet, p, count, bits, tokens, 0)) {
            throw error(start, "padding bits after the last token are not zero (not written by a conforming writer)");
        }
        long known = header.tokenCount();
        if (known != ParlaHeader.UNKNOWN && tokensRead + count > known) {
            throw error(start, "packets hold more tokens than the header's count of " + known);
        }
        if (end) checkEnd(start, count);
        packetIndex++;
        tokensRead += count;
        return tokens;
    }

    private void checkEnd(long start, int count) throws IOException {
        long total = tokensRead + count;
        long known = header.tokenCount();
        if (known != ParlaHeader.UNKNOWN && total != known) {
            throw error(start, "end packet after " + total + " tokens but the header says " + known
                    + " (tokens lost)");
        }
        if (in.read() >= 0) {
            throw new BitstreamException(source + ": trailing data at byte " + offset + " after the end packet");
        }
        ended = true;
    }

    /** All remaining tokens, through the end packet. */
    public int[] readAll() throws IOException {
        long known = header.tokenCount();
        int[] all = new int[(int) Math.min(known == ParlaHeader.UNKNOWN ? 1024 : known - tokensRead, 1 << 20)];
        int n = 0;
        for (int[] tokens; (tokens = nextPacket()) != null; ) {
            if (n + tokens.length > all.length) {
                long grown = Math.max((long) all.length * 2, (long) n + tokens.length);
                if (grown > Integer.MAX_VALUE - 8) {
                    throw new BitstreamException(source + ": more than " + (Integer.MAX_VALUE - 8)
                            + " tokens do not fit in one array; read packet by packet instead");
                }
                all = Arrays.copyOf(all, (int) grown);
            }
            System.arraycopy(tokens, 0, all, n, tokens.length);
            n += tokens.length;
        }
        return n == all.length ? all : Arrays.copyOf(all, n);
    }

    /**
     * The remaining tokens one at a time; an {@link IOException} of the underlying stream surfaces as an
     * {@link UncheckedIOException}, problems in the data as {@link BitstreamException}.
     */
    public PrimitiveIterator.OfInt tokens() {
        return new PrimitiveIterator.OfInt() {
            private int[] current = new int[0];
            private int next;

            @Override
            public boolean hasNext() {
                try {
                    while (next == current.length) {
                        int[] tokens = nextPacket();
                        if (tokens == null) return false;
                        current = tokens;
                        next = 0;
                    }
                    return true;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public int nextInt() {
                if (!hasNext()) throw new NoSuchElementException();
                return current[next++];
            }
        };
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private void readFully(int at, int len, long packetStart) throws IOException {
        int got = in.readNBytes(packet, at, len);
        offset += got;
        if (got < len) {
            throw error(packetStart, "truncated packet: data ends at byte " + offset + " inside it");
        }
    }

    private BitstreamException error(long at, String problem) {
        return new BitstreamException(source + ": packet " + packetIndex + " at byte " + at + ": " + problem);
    }
}
