package io.parla.core.bitstream;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@code .parla} stream: the header at once, then tokens in any number of {@link #writeTokens} calls,
 * cut into packets of {@link ParlaHeader#tokensPerPacket()} tokens. {@link #close()} writes the end packet and,
 * when the output is seekable (a file opened by {@link #create} or a {@link SeekableByteChannel}), rewrites the
 * header with the true token count and the sample count given to {@link #setSampleCount}.
 *
 * <p>On a plain {@link OutputStream} the header is final once written: counts the caller put in it are a
 * promise that {@link #close()} checks, {@link ParlaHeader#UNKNOWN} counts stay unknown.
 *
 * <p>A full packet is written when the token after it arrives (so that the stream's last packet can carry the
 * END flag without an extra empty packet); {@link #flush()} writes what is buffered as a short packet at once,
 * for low-latency pipes, at a cost of 5 bytes per call.
 */
public final class ParlaWriter implements Closeable {
    private final OutputStream out;
    private final SeekableByteChannel channel;
    private final long headerPosition;
    private final String destination;
    private ParlaHeader header;
    private final int bits;
    private final int perPacket;
    private final int[] pending;
    private int pendingCount;
    private final byte[] packet;
    private long packetIndex;
    private long tokensWritten;
    private long bytesWritten;
    private long sampleCount;
    private boolean closed;

    /** Writes to a non-seekable stream; {@code destination} names it in error messages. */
    public ParlaWriter(OutputStream out, ParlaHeader header, String destination) throws IOException {
        this(out, null, 0, header, destination);
    }

    /** Writes to a non-seekable stream. */
    public ParlaWriter(OutputStream out, ParlaHeader header) throws IOException {
        this(out, header, "output");
    }

    /** Writes from the channel's current position and patches the header there on {@link #close()}. */
    public ParlaWriter(SeekableByteChannel channel, ParlaHeader header, String destination) throws IOException {
        this(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), channel, channel.position(), header,
                destination);
    }

    private ParlaWriter(OutputStream out, SeekableByteChannel channel, long headerPosition, ParlaHeader header,
            String destination) throws IOException {
        this.out = out;
        this.channel = channel;
        this.headerPosition = headerPosition;
        this.destination = destination;
        this.header = header;
        this.bits = header.codebookBits();
        this.perPacket = header.tokensPerPacket();
        this.pending = new int[perPacket];
        this.packet = new byte[3 + (int) BitPacker.packedBytes(perPacket, bits) + FilePacket.CRC_BYTES];
        this.sampleCount = header.sampleCount();
        byte[] bytes = header.toBytes();
        out.write(bytes);
        bytesWritten = bytes.length;
    }

    /** Creates (or truncates) {@code file} and writes to it; counts are patched on {@link #close()}. */
    public static ParlaWriter create(Path file, ParlaHeader header) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new ParlaWriter(ch, header, file.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    public ParlaHeader header() {
        return header;
    }

    /** Appends all of {@code tokens}. */
    public void writeTokens(int[] tokens) throws IOException {
        writeTokens(tokens, 0, tokens.length);
    }

    /**
     * Appends {@code tokens[off .. off+len)}.
     *
     * @throws BitstreamException if a token does not fit the codebook; then none of this call's tokens is written
     */
    public void writeTokens(int[] tokens, int off, int len) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(off, len, tokens.length);
        try {
            BitPacker.requireInRange(tokens, off, len, bits);
        } catch (BitstreamException e) {
            throw new BitstreamException(destination + ": " + e.getMessage() + " of this write (token "
                    + tokensWritten + " of the stream onwards)");
        }
        int i = off;
        int end = off + len;
        while (i < end) {
            if (pendingCount == perPacket) emit(false);
            int n = Math.min(perPacket - pendingCount, end - i);
            System.arraycopy(tokens, i, pending, pendingCount, n);
            pendingCount += n;
            i += n;
            tokensWritten += n;
        }
    }

    /** Samples of the original input (at the input sample rate), written into the header on close if seekable. */
    public void setSampleCount(long samples) {
        if (samples < 0) throw new IllegalArgumentException("negative sample count " + samples);
        this.sampleCount = samples;
    }

    /** Writes buffered tokens as a short packet (if any) and flushes the underlying stream. */
    public void flush() throws IOException {
        ensureOpen();
        if (pendingCount > 0) emit(false);
        out.flush();
    }

    public long tokensWritten() {
        return tokensWritten;
    }

    /** Bytes written so far (header and complete packets; buffered tokens not included). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Writes the end packet, patches the header if seekable, and closes the output. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        try (OutputStream o = out; Closeable c = channel) {
            emit(true);
            o.flush();
            if (channel != null) {
                header = header.withCounts(tokensWritten, sampleCount);
                channel.position(headerPosition);
                ByteBuffer bytes = ByteBuffer.wrap(header.toBytes());
                while (bytes.hasRemaining()) channel.write(bytes);
            } else if (header.tokenCount() != ParlaHeader.UNKNOWN && header.tokenCount() != tokensWritten) {
                throw new BitstreamException(destination + ": the header promised " + header.tokenCount()
                        + " tokens but " + tokensWritten + " were written");
            }
        }
    }

    private void emit(boolean end) throws IOException {
        boolean isShort = pendingCount != perPacket;
        int p = 0;
        packet[p++] = (byte) FilePacket.marker(packetIndex, end, isShort);
        if (isShort) {
            packet[p++] = (byte) (pendingCount >>> 8);
            packet[p++] = (byte) pendingCount;
        }
        p += BitPacker.pack(pending, 0, pendingCount, bits, packet, p);
        int crc = FilePacket.crc(packetIndex, packet, p);
        packet[p++] = (byte) (crc >>> 8);
        packet[p++] = (byte) crc;
        out.write(packet, 0, p);
        bytesWritten += p;
        packetIndex++;
        pendingCount = 0;
    }

    private void ensureOpen() {
        if (closed) throw new IllegalStateException(destination + ": writer is closed");
    }
}
