package io.parla.core.audio;

/** How samples are stored in a WAV data chunk. */
public enum WavEncoding {
    /** Unsigned 8-bit integers centred on 128, as the WAV format defines 8-bit PCM. */
    PCM_8(WavEncoding.TAG_PCM, 8),
    PCM_16(WavEncoding.TAG_PCM, 16),
    PCM_24(WavEncoding.TAG_PCM, 24),
    PCM_32(WavEncoding.TAG_PCM, 32),
    FLOAT_32(WavEncoding.TAG_IEEE_FLOAT, 32),
    FLOAT_64(WavEncoding.TAG_IEEE_FLOAT, 64);

    static final int TAG_PCM = 1;
    static final int TAG_IEEE_FLOAT = 3;
    static final int TAG_EXTENSIBLE = 0xFFFE;

    private final int formatTag;
    private final int bits;

    WavEncoding(int formatTag, int bits) {
        this.formatTag = formatTag;
        this.bits = bits;
    }

    /** The {@code wFormatTag} of a plain (non-extensible) fmt chunk. */
    public int formatTag() {
        return formatTag;
    }

    public int bitsPerSample() {
        return bits;
    }

    public int bytesPerSample() {
        return bits / 8;
    }

    public boolean isFloatingPoint() {
        return formatTag == TAG_IEEE_FLOAT;
    }

    /** The integer encoding with this container size, or null when WAV has none. */
    static WavEncoding pcm(int containerBits) {
        return switch (containerBits) {
            case 8 -> PCM_8;
            case 16 -> PCM_16;
            case 24 -> PCM_24;
            case 32 -> PCM_32;
            default -> null;
        };
    }

    /** The float encoding with this size, or null when WAV has none. */
    static WavEncoding ieeeFloat(int bits) {
        return switch (bits) {
            case 32 -> FLOAT_32;
            case 64 -> FLOAT_64;
            default -> null;
        };
    }
}
