package io.parla.core.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds WAV files byte by byte, including malformed ones the writer would never produce. */
final class WavBytes {
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String form = "RIFF";

    static WavBytes riff() {
        return new WavBytes();
    }

    WavBytes form(String form) {
        this.form = form;
        return this;
    }

    /** A chunk whose declared size is its body's, plus the pad byte an odd size needs. */
    WavBytes chunk(String id, byte[] body) {
        return chunk(id, body.length, body, true);
    }

    /** A chunk with any declared size, optionally without the pad byte. */
    WavBytes chunk(String id, long declaredSize, byte[] body, boolean pad) {
        chunks.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        chunks.writeBytes(le32(declaredSize));
        chunks.writeBytes(body);
        if (pad && body.length % 2 == 1) chunks.write(0);
        return this;
    }

    WavBytes raw(byte[] bytes) {
        chunks.writeBytes(bytes);
        return this;
    }

    byte[] build() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(form.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(le32(4 + chunks.size()));
        out.writeBytes("WAVE".getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(chunks.toByteArray());
        return out.toByteArray();
    }

    static byte[] fmt(int tag, int channels, int rate, int bits) {
        int block = channels * ((bits + 7) / 8);
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) tag)
                .putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
                .putShort((short) bits).array();
    }

    /** WAVE_FORMAT_EXTENSIBLE with a sub-format GUID built from {@code subTag} and the standard tail. */
    static byte[] fmtExtensible(int channels, int rate, int containerBits, int validBits, int subTag) {
        int block = channels * containerBits / 8;
        return ByteBuffer.allocate(40).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 0xFFFE)
                .putShort((short) channels).putInt(rate).putInt(rate * block).putShort((short) block)
                .putShort((short) containerBits).putShort((short) 22).putShort((short) validBits).putInt(0)
                .putShort((short) subTag)
                .put(new byte[] {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38, (byte) 0x9B, 0x71})
                .array();
    }

    static byte[] pcm16(int... samples) {
        ByteBuffer b = ByteBuffer.allocate(2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int s : samples) b.putShort((short) s);
        return b.array();
    }

    static byte[] pcm24(int... samples) {
        byte[] out = new byte[3 * samples.length];
        for (int i = 0; i < samples.length; i++) {
            out[3 * i] = (byte) samples[i];
            out[3 * i + 1] = (byte) (samples[i] >> 8);
            out[3 * i + 2] = (byte) (samples[i] >> 16);
        }
        return out;
    }

    static byte[] float32(float... samples) {
        ByteBuffer b = ByteBuffer.allocate(4 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float s : samples) b.putFloat(s);
        return b.array();
    }

    static byte[] le32(long v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array();
    }

    static byte[] le64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }
}
