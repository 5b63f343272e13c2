package io.parla.core.audio;

/** Recognises an ID3v2 tag, which some taggers put in front of a FLAC stream, so that it can be skipped. */
final class Id3v2 {
    static final int HEADER_LENGTH = 10;

    private Id3v2() {}

    /**
     * The length of the ID3v2 tag at the start of {@code head} (header, body and optional footer), or 0 if there
     * is none. Needs the first {@value #HEADER_LENGTH} bytes.
     */
    static int length(byte[] head) {
        if (head.length < HEADER_LENGTH || head[0] != 'I' || head[1] != 'D' || head[2] != '3') return 0;
        int size = 0;
        for (int i = 6; i < 10; i++) {
            if ((head[i] & 0x80) != 0) return 0; // sizes are "sync-safe": seven bits a byte
            size = size << 7 | head[i];
        }
        boolean footer = (head[5] & 0x10) != 0;
        return HEADER_LENGTH + size + (footer ? HEADER_LENGTH : 0);
    }
}
