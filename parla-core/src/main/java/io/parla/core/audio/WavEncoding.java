package io.parla.core.audio;

/** How samples are stored in a WAV data chunk. */
public enum WavEncoding {
    /** Unsigned 8-bit integers centred on 128, as the WAV format defines 8-bit PCM. */
    PCM_8(1, 8, false),
    PCM_16(1, 16, false),
    PCM_24(1, 24, false),
    PCM_32(1, 32, false),
    FLOAT_32(3, 32, true),
    FLOAT_64(3, 64, true);

    static final int TAG_PCM = 1;
    static final int TAG_IEEE_FLOAT = 3;
    static final int TAG_EXTENSIBLE = 0xFFFE;

    private final int formatTag;
    private final int bits;
    private final boolean floatingPoint;

    WavEncoding(int formatTag, int bits, boolean floatingPoint) {
        this.formatTag = formatTag;
        this.bits = bits;
        this.floatingPoint = floatingPoint;
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
        return floatingPoint;
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
