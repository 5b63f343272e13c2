package io.parla.core.audio;

/**
 * A FLAC frame header, checked against its CRC-8 and against STREAMINFO.
 *
 * @param channelAssignment 0-7 for independent channels, 8 left/side, 9 side/right, 10 mid/side
 */
record FlacFrameHeader(int blockSize, int channelAssignment, int bitsPerSample) {
    static final int LEFT_SIDE = 8;
    static final int SIDE_RIGHT = 9;
    static final int MID_SIDE = 10;

    /** Sync code plus the reserved bit that must follow it, as the first 15 bits of every frame. */
    private static final int SYNC = 0x7FFC;
    private static final int[] BITS_PER_SAMPLE = {0, 8, 12, -1, 16, 20, 24, 32};

    int channels() {
        return channelAssignment < 8 ? channelAssignment + 1 : 2;
    }

    /** True if channel {@code ch} carries a difference signal, which needs one bit more than the samples. */
    boolean isSideChannel(int ch) {
        return switch (channelAssignment) {
            case LEFT_SIDE, MID_SIDE -> ch == 1;
            case SIDE_RIGHT -> ch == 0;
            default -> false;
        };
    }

    /** Parses the header at the reader's byte-aligned position. */
    static FlacFrameHeader parse(FlacBitReader in, FlacStreamInfo info) {
        int start = in.bytePosition();
        if (in.readBits(15) != SYNC) throw in.corrupt("frame sync code not found");
        in.readBits(1); // blocking strategy: only matters for seeking
        int blockSizeCode = in.readBits(4);
        int sampleRateCode = in.readBits(4);
        int channelAssignment = in.readBits(4);
        int sampleSizeCode = in.readBits(3);
        if (in.readBits(1) != 0) throw in.corrupt("reserved bit set in frame header");
        skipCodedNumber(in);
        int blockSize = switch (blockSizeCode) {
            case 0 -> throw in.corrupt("reserved block size code 0");
            case 1 -> 192;
            case 2, 3, 4, 5 -> 576 << (blockSizeCode - 2);
            case 6 -> in.readBits(8) + 1;
            case 7 -> in.readBits(16) + 1;
            default -> 256 << (blockSizeCode - 8);
        };
        switch (sampleRateCode) { // the rate itself is STREAMINFO's; only the header's length depends on it
            case 12 -> in.readBits(8);
            case 13, 14 -> in.readBits(16);
            case 15 -> throw in.corrupt("invalid sample rate code 15");
            default -> { }
        }
        if (channelAssignment > MID_SIDE) throw in.corrupt("reserved channel assignment " + channelAssignment);
        int bits = sampleSizeCode == 0 ? info.bitsPerSample() : BITS_PER_SAMPLE[sampleSizeCode];
        if (bits < 0) throw in.corrupt("reserved sample size code 3");
        int expectedCrc = FlacCrc.crc8(in.buffer(), start, in.bytePosition());
        if (in.readBits(8) != expectedCrc) throw in.corrupt("frame header CRC-8 mismatch");
        FlacFrameHeader header = new FlacFrameHeader(blockSize, channelAssignment, bits);
        if (header.channels() != info.channels())
            throw in.corrupt("frame has " + header.channels() + " channels, STREAMINFO says " + info.channels());
        if (bits != info.bitsPerSample())
            throw in.corrupt("frame has " + bits + " bits per sample, STREAMINFO says " + info.bitsPerSample());
        return header;
    }

    /** The frame or sample number, UTF-8 style: a lead byte announcing up to six continuation bytes. */
    private static void skipCodedNumber(FlacBitReader in) {
        int lead = in.readBits(8);
        int ones = Integer.numberOfLeadingZeros(~lead << 24);
        if (ones == 1 || ones > 7) throw in.corrupt("invalid frame number encoding");
        for (int i = 1; i < ones; i++)
            if ((in.readBits(8) & 0xC0) != 0x80) throw in.corrupt("invalid frame number encoding");
    }
}
