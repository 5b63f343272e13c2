package io.parla.core.bitstream;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * One type-length-value block in the header's extension area: {@code type} (u16) and {@code value} (at most
 * 65535 bytes). Types with bit 15 set ({@link #CRITICAL}) are critical: a reader that does not know such a type
 * must refuse the file; unknown non-critical types are kept and otherwise ignored.
 */
public record HeaderExtension(int type, byte[] value) {
    /** Bit 15 of the type: readers that do not understand the block must reject the stream. */
    public static final int CRITICAL = 0x8000;
    /** Paralinguistic embedding (SecoustiCodec): u8 float format (1 = F16, 2 = F32), then the floats, big-endian. */
    public static final int PARALINGUISTIC_EMBEDDING = 0x0001;
    /** Largest value a block can hold (its length field is a u16). */
    public static final int MAX_VALUE_BYTES = 0xFFFF;

    /** How the floats of an embedding block are stored. */
    public enum FloatFormat {
        /** IEEE 754 binary16, 2 bytes each. */
        F16(1, 2),
        /** IEEE 754 binary32, 4 bytes each. */
        F32(2, 4);

        private final int code;
        private final int bytes;

        FloatFormat(int code, int bytes) {
            this.code = code;
            this.bytes = bytes;
        }

        /** The format byte stored in front of the floats. */
        public int code() {
            return code;
        }

        /** Bytes per element. */
        public int bytes() {
            return bytes;
        }
    }

    public HeaderExtension {
        if (type < 0 || type > 0xFFFF) throw new IllegalArgumentException("extension type must be 0..65535, got " + type);
        if (value.length > MAX_VALUE_BYTES) {
            throw new IllegalArgumentException("extension 0x" + hex4(type) + " value is " + value.length
                    + " bytes, at most " + MAX_VALUE_BYTES + " fit");
        }
        value = value.clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
        return value.clone();
    }

    int length() {
        return value.length;
    }

    void writeValueTo(ByteBuffer buf) {
        buf.put(value);
    }

    public boolean isCritical() {
        return (type & CRITICAL) != 0;
    }

    /** A paralinguistic-embedding block holding {@code embedding} in {@code format} (F16 rounds to nearest). */
    public static HeaderExtension paralinguisticEmbedding(float[] embedding, FloatFormat format) {
        ByteBuffer buf = ByteBuffer.allocate(1 + embedding.length * format.bytes());
        buf.put((byte) format.code());
        for (float f : embedding) {
            if (format == FloatFormat.F16) buf.putShort(Float.floatToFloat16(f));
            else buf.putFloat(f);
        }
        return new HeaderExtension(PARALINGUISTIC_EMBEDDING, buf.array());
    }

    /** The floats of a paralinguistic-embedding block. */
    public float[] embedding() {
        if (type != PARALINGUISTIC_EMBEDDING) {
            throw new IllegalStateException("extension 0x" + hex4(type) + " is not a paralinguistic embedding");
        }
        String problem = embeddingProblem();
        if (problem != null) throw new BitstreamException(problem);
        FloatFormat format = value[0] == 1 ? FloatFormat.F16 : FloatFormat.F32;
        ByteBuffer buf = ByteBuffer.wrap(value, 1, value.length - 1);
        float[] out = new float[(value.length - 1) / format.bytes()];
        for (int i = 0; i < out.length; i++) {
            out[i] = format == FloatFormat.F16 ? Float.float16ToFloat(buf.getShort()) : buf.getFloat();
        }
        return out;
    }

    /** The format of a paralinguistic-embedding block. */
    public FloatFormat embeddingFormat() {
        embedding();
        return value[0] == 1 ? FloatFormat.F16 : FloatFormat.F32;
    }

    /** Null if this block is well formed as far as this version knows its type, else what is wrong. */
    String problem() {
        return type == PARALINGUISTIC_EMBEDDING ? embeddingProblem() : null;
    }

    private String embeddingProblem() {
        if (value.length == 0) return "paralinguistic embedding block is empty (no float format byte)";
        int code = value[0] & 0xFF;
        FloatFormat format = null;
        for (FloatFormat f : FloatFormat.values()) if (f.code == code) format = f;
        if (format == null) return "paralinguistic embedding has unknown float format " + code + " (1 = F16, 2 = F32)";
        if ((value.length - 1) % format.bytes() != 0) {
            return "paralinguistic embedding holds " + (value.length - 1) + " bytes, not a whole number of "
                    + format + " values";
        }
        return null;
    }

    static String hex4(int type) {
        return HexFormat.of().toHexDigits((short) type);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeaderExtension e && e.type == type && Arrays.equals(e.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * type + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "HeaderExtension[type=0x" + hex4(type) + ", " + value.length + " bytes]";
    }
}
