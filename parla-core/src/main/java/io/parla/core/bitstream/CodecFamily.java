package io.parla.core.bitstream;

import java.util.Optional;

/**
 * Codec families with an assigned id in the header's codec-family byte. Id 0 means "unspecified"; ids not listed
 * here are legal (a newer writer may know more families) and simply have no enum constant.
 */
public enum CodecFamily {
    /** FocalCodec-Stream: 50 Hz tokens, one binary codebook of 2^11, 2^12 or 2^16 codes, 16 kHz in, 24 kHz out. */
    FOCALCODEC_STREAM(1),
    /** SecoustiCodec: FSQ tokens at 21.5 Hz or 86 Hz plus a per-utterance paralinguistic embedding. */
    SECOUSTICODEC(2),
    /** FocalCodec (non-streaming). */
    FOCALCODEC(3);

    /** The header value for "no family stated". */
    public static final int UNSPECIFIED_ID = 0;

    private final int id;

    CodecFamily(int id) {
        this.id = id;
    }

    /** The byte stored in the header. */
    public int id() {
        return id;
    }

    /** The family with header value {@code id}, or empty if this version of Parla does not know it. */
    public static Optional<CodecFamily> byId(int id) {
        for (CodecFamily f : values()) if (f.id == id) return Optional.of(f);
        return Optional.empty();
    }
}
