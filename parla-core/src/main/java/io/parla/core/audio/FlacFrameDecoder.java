package io.parla.core.audio;

/**
 * Decodes FLAC frames one after another and appends each, averaged to mono, to an output buffer.
 *
 * <p>The mono mix needs only left + right, which every stereo decorrelation mode yields with one integer
 * operation, so the left and right channels themselves are never reconstructed.
 */
final class FlacFrameDecoder {
    private final FlacStreamInfo info;
    private final String name;
    private final FlacSubframeDecoder subframes = new FlacSubframeDecoder();
    private final double scale;
    private long[][] channels;

    FlacFrameDecoder(FlacStreamInfo info, String name) {
        this.info = info;
        this.name = name;
        this.scale = 1.0 / (info.channels() * Math.scalb(1.0, info.bitsPerSample() - 1));
        this.channels = new long[info.channels()][Math.clamp(info.maxBlockSize(), 16, 65536)];
    }

    /** Decodes the frame at the reader's byte-aligned position, checks its CRC-16, and returns its block size. */
    int decode(FlacBitReader in, GrowableFloats out) {
        int start = in.bytePosition();
        FlacFrameHeader header = FlacFrameHeader.parse(in, info);
        int n = header.blockSize();
        if (channels[0].length < n) channels = new long[info.channels()][n];
        for (int ch = 0; ch < channels.length; ch++) {
            int bits = header.bitsPerSample() + (header.isSideChannel(ch) ? 1 : 0);
            subframes.decode(in, channels[ch], n, bits);
        }
        in.alignToByte();
        int expectedCrc = FlacCrc.crc16(in.buffer(), start, in.bytePosition());
        if (in.readBits(16) != expectedCrc)
            throw in.corrupt("frame CRC-16 mismatch (frame starting at byte " + start + ")");
        float[] dst = out.reserve(n, name);
        mix(header.channelAssignment(), n, dst, out.size());
        out.advance(n);
        return n;
    }

    private void mix(int assignment, int n, float[] dst, int off) {
        long[] a = channels[0];
        double scale = this.scale;
        if (channels.length == 1) {
            for (int i = 0; i < n; i++) dst[off + i] = (float) (a[i] * scale);
            return;
        }
        long[] b = channels[1];
        switch (assignment) {
            case FlacFrameHeader.LEFT_SIDE -> {
                for (int i = 0; i < n; i++) dst[off + i] = (float) ((2 * a[i] - b[i]) * scale);
            }
            case FlacFrameHeader.SIDE_RIGHT -> {
                for (int i = 0; i < n; i++) dst[off + i] = (float) ((a[i] + 2 * b[i]) * scale);
            }
            case FlacFrameHeader.MID_SIDE -> {
                // left + right = ((mid << 1) | (side & 1)): the two halves' rounding cancels exactly.
                for (int i = 0; i < n; i++) dst[off + i] = (float) (((a[i] << 1) | (b[i] & 1)) * scale);
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    long sum = 0;
                    for (long[] channel : channels) sum += channel[i];
                    dst[off + i] = (float) (sum * scale);
                }
            }
        }
    }
}
