package io.parla.core.audio;

/**
 * The STREAMINFO metadata block: the stream-wide parameters every frame falls back on.
 *
 * @param totalSamples samples per channel, or 0 when the encoder did not know it
 */
record FlacStreamInfo(int maxBlockSize, int sampleRate, int channels, int bitsPerSample, long totalSamples) {
    static final int LENGTH = 34;

    /** Parses the block at the reader's (byte-aligned) position. */
    static FlacStreamInfo parse(FlacBitReader in, String name) {
        in.readBits(16); // minimum block size: nothing depends on it
        int maxBlockSize = in.readBits(16);
        in.readBits(24); // minimum frame size
        in.readBits(24); // maximum frame size
        int sampleRate = in.readBits(20);
        int channels = in.readBits(3) + 1;
        int bits = in.readBits(5) + 1;
        long total = (long) in.readBits(4) << 32 | in.readBits(32) & 0xFFFFFFFFL;
        for (int i = 0; i < 4; i++) in.readBits(32); // MD5 of the decoded audio: the frame CRCs suffice
        if (sampleRate == 0) throw new AudioFormatException(name, "zero sample rate in STREAMINFO");
        if (bits < 4) throw new AudioFormatException(name, "unsupported bit depth " + bits + " in STREAMINFO");
        return new FlacStreamInfo(maxBlockSize, sampleRate, channels, bits, total);
    }
}
