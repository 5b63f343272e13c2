package io.parla.core.audio;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/**
 * Writes FLAC bitstreams by hand, with correct CRCs, for cases the reference encoder never produces (escape-coded
 * partitions) and for hostile streams that must pass the checksums to reach the decoder's deeper checks.
 */
final class FlacBits {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private long pending;
    private int pendingBits;

    FlacBits bits(long value, int count) {
        for (int i = count - 1; i >= 0; i--) {
            pending = pending << 1 | (value >>> i & 1);
            if (++pendingBits == 8) {
                out.write((int) pending);
                pending = 0;
                pendingBits = 0;
            }
        }
        return this;
    }

    FlacBits unary(int zeros) {
        for (int i = 0; i < zeros; i++) bits(0, 1);
        return bits(1, 1);
    }

    FlacBits rice(long value, int k) {
        long folded = value >= 0 ? 2 * value : -2 * value - 1;
        return unary((int) (folded >>> k)).bits(folded, k);
    }

    FlacBits align() {
        while (pendingBits != 0) bits(0, 1);
        return this;
    }

    byte[] bytes() {
        align();
        return out.toByteArray();
    }

    /** "fLaC" and a last-and-only STREAMINFO block. */
    static FlacBits stream(int sampleRate, int channels, int bitsPerSample, long totalSamples) {
        FlacBits b = new FlacBits();
        b.bits('f', 8).bits('L', 8).bits('a', 8).bits('C', 8);
        b.bits(1, 1).bits(0, 7).bits(FlacStreamInfo.LENGTH, 24);
        b.bits(16, 16).bits(4096, 16).bits(0, 24).bits(0, 24);
        b.bits(sampleRate, 20).bits(channels - 1, 3).bits(bitsPerSample - 1, 5).bits(totalSamples, 36);
        return b.bits(0, 64).bits(0, 64);
    }

    /**
     * Appends a frame: header (explicit 16-bit block size, rates and depth from STREAMINFO unless
     * {@code sampleSizeCode} says otherwise) with its CRC-8, the subframes {@code body} writes, and the CRC-16.
     */
    FlacBits frame(int frameNumber, int blockSize, int channelAssignment, int sampleSizeCode, Consumer<FlacBits> body) {
        align();
        FlacBits frame = new FlacBits();
        frame.bits(0xFFF8, 16).bits(7, 4).bits(0, 4).bits(channelAssignment, 4).bits(sampleSizeCode, 3).bits(0, 1);
        frame.bits(frameNumber, 8).bits(blockSize - 1, 16);
        byte[] header = frame.bytes();
        frame.bits(FlacCrc.crc8(header, 0, header.length), 8);
        body.accept(frame);
        byte[] all = frame.bytes();
        frame.bits(FlacCrc.crc16(all, 0, all.length), 16);
        out.writeBytes(frame.bytes());
        return this;
    }
}
