package io.parla.core.bitstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The header of a {@code .parla} file (format version 1; see {@code docs/bitstream.md} for the byte layout).
 *
 * @param modelHash SHA-256 over the model's canonical config JSON and weight bytes (32 bytes)
 * @param modelName short human-readable model name, at most 255 UTF-8 bytes
 * @param codecFamilyId a {@link CodecFamily} id, or {@link CodecFamily#UNSPECIFIED_ID}, or an id this version
 *     does not know (0..255)
 * @param codebookBits bits per token, 1..32 (11, 12 or 16 for FocalCodec-Stream)
 * @param codebooks number of codebooks; format version 1 carries exactly 1
 * @param tokenRate tokens per second as an exact fraction
 * @param inputSampleRate sample rate of the audio the encoder consumed, Hz
 * @param outputSampleRate sample rate of the audio the decoder produces, Hz
 * @param tokensPerPacket tokens in every full packet, 1..65535
 * @param tokenCount total tokens in the stream, or {@link #UNKNOWN}
 * @param sampleCount samples of the original input at {@code inputSampleRate}, or {@link #UNKNOWN}
 * @param extensions type-length-value blocks, at most one per type
 */
public record ParlaHeader(
        byte[] modelHash,
        String modelName,
        int codecFamilyId,
        int codebookBits,
        int codebooks,
        TokenRate tokenRate,
        int inputSampleRate,
        int outputSampleRate,
        int tokensPerPacket,
        long tokenCount,
        long sampleCount,
        List<HeaderExtension> extensions) {

    /** The format version this code reads and writes. */
    public static final int FORMAT_VERSION = 1;
    /** "PRLA". */
    public static final byte[] MAGIC = {'P', 'R', 'L', 'A'};
    /** Count value for "not known" (stored as all-ones u64). */
    public static final long UNKNOWN = -1;
    /** Default tokens per packet: 1000 (20 s at 50 Hz), see docs/bitstream.md for the overhead trade-off. */
    public static final int DEFAULT_TOKENS_PER_PACKET = 1000;
    /** Size of the header without model name and extensions. */
    public static final int FIXED_BYTES = 81;
    public static final int MAX_HEADER_BYTES = 0xFFFF;

    static final int OFF_VERSION = 4;
    static final int OFF_HEADER_LENGTH = 5;
    static final int OFF_FAMILY = 7;
    static final int OFF_BITS = 8;
    static final int OFF_CODEBOOKS = 9;
    static final int OFF_TOKENS_PER_PACKET = 10;
    static final int OFF_RATE = 12;
    static final int OFF_SAMPLE_RATES = 20;
    static final int OFF_TOKEN_COUNT = 28;
    static final int OFF_SAMPLE_COUNT = 36;
    static final int OFF_MODEL_HASH = 44;
    static final int OFF_NAME = 76;
    /** Magic, version and header length: what a reader needs before it knows the header's size. */
    static final int START_BYTES = 7;

    public ParlaHeader {
        if (modelHash == null || modelHash.length != 32) {
            throw new IllegalArgumentException("model hash must be 32 bytes (SHA-256), got "
                    + (modelHash == null ? "null" : modelHash.length));
        }
        modelHash = modelHash.clone();
        if (utf8(modelName).length > 255) {
            throw new IllegalArgumentException("model name is " + utf8(modelName).length + " UTF-8 bytes, at most 255 fit");
        }
        if (codecFamilyId < 0 || codecFamilyId > 255) throw new IllegalArgumentException("codec family id must be 0..255");
        BitPacker.checkWidth(codebookBits);
        if (codebooks != 1) {
            throw new IllegalArgumentException("format version 1 carries exactly 1 codebook, got " + codebooks);
        }
        if (tokenRate == null) throw new IllegalArgumentException("token rate is required");
        if (inputSampleRate < 1 || outputSampleRate < 1) throw new IllegalArgumentException("sample rates must be positive");
        if (tokensPerPacket < 1 || tokensPerPacket > 0xFFFF) {
            throw new IllegalArgumentException("tokens per packet must be 1..65535, got " + tokensPerPacket);
        }
        if (tokenCount < UNKNOWN || sampleCount < UNKNOWN) {
            throw new IllegalArgumentException("counts must be UNKNOWN (-1) or >= 0");
        }
        extensions = List.copyOf(extensions);
        Set<Integer> types = new HashSet<>();
        long length = FIXED_BYTES + utf8(modelName).length;
        for (HeaderExtension e : extensions) {
            if (!types.add(e.type())) {
                throw new IllegalArgumentException("extension 0x" + HeaderExtension.hex4(e.type()) + " appears twice");
            }
            String problem = e.problem();
            if (problem != null) throw new IllegalArgumentException(problem);
            length += 4 + e.length();
        }
        if (length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("header would be " + length + " bytes, at most " + MAX_HEADER_BYTES + " fit");
        }
    }

    /** A copy of the 32-byte model hash. */
    @Override
    public byte[] modelHash() {
        return modelHash.clone();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The known codec family, or empty for "unspecified" or an id this version does not know. */
    public Optional<CodecFamily> codecFamily() {
        return CodecFamily.byId(codecFamilyId);
    }

    /** The first 4 bytes of the model hash as a big-endian int: the model tag of network packets. */
    public int modelTag() {
        return NetworkPacket.modelTag(modelHash);
    }

    /** The extension block of {@code type}, if present. */
    public Optional<HeaderExtension> extension(int type) {
        return extensions.stream().filter(e -> e.type() == type).findFirst();
    }

    /** The SecoustiCodec paralinguistic embedding, if the header carries one. */
    public Optional<float[]> paralinguisticEmbedding() {
        return extension(HeaderExtension.PARALINGUISTIC_EMBEDDING).map(HeaderExtension::embedding);
    }

    /** Payload bits per second: {@code codebookBits * tokenRate}. */
    public double payloadBitsPerSecond() {
        return tokenRate.bitsPerSecond(codebookBits);
    }

    /** This header with other counts (each {@link #UNKNOWN} or >= 0). */
    public ParlaHeader withCounts(long newTokenCount, long newSampleCount) {
        return new ParlaHeader(modelHash, modelName, codecFamilyId, codebookBits, codebooks, tokenRate, inputSampleRate,
                outputSampleRate, tokensPerPacket, newTokenCount, newSampleCount, extensions);
    }

    /**
     * Throws unless this stream was encoded with the model whose hash is {@code expectedHash}. The hash decides;
     * the names only make the message readable (a renamed model with the same hash is the same model).
     */
    public void requireModel(byte[] expectedHash, String expectedName) {
        requireModel(expectedHash, expectedName, "bitstream");
    }

    /** As {@link #requireModel(byte[], String)}, naming {@code source} in the message. */
    public void requireModel(byte[] expectedHash, String expectedName, String source) {
        if (!MessageDigest.isEqual(modelHash, expectedHash)) {
            throw new BitstreamException(source + ": encoded with model '" + modelName + "' (sha256 "
                    + HexFormat.of().formatHex(modelHash) + ") but the loaded model is '" + expectedName + "' (sha256 "
                    + (expectedHash == null ? "none" : HexFormat.of().formatHex(expectedHash))
                    + "); decode it with the model it was encoded with");
        }
    }

    /** Bytes this header takes on disk. */
    public int encodedLength() {
        int length = FIXED_BYTES + utf8(modelName).length;
        for (HeaderExtension e : extensions) length += 4 + e.length();
        return length;
    }

    /** The header bytes, CRC included. */
    public byte[] toBytes() {
        byte[] name = utf8(modelName);
        int length = encodedLength();
        ByteBuffer buf = ByteBuffer.allocate(length);
        buf.put(MAGIC).put((byte) FORMAT_VERSION).putShort((short) length);
        buf.put((byte) codecFamilyId).put((byte) codebookBits).put((byte) codebooks).putShort((short) tokensPerPacket);
        buf.putInt((int) tokenRate.numerator()).putInt((int) tokenRate.denominator());
        buf.putInt(inputSampleRate).putInt(outputSampleRate);
        buf.putLong(tokenCount).putLong(sampleCount);
        buf.put(modelHash).put((byte) name.length).put(name);
        for (HeaderExtension e : extensions) {
            buf.putShort((short) e.type()).putShort((short) e.length());
            e.writeValueTo(buf);
        }
        CRC32C crc = new CRC32C();
        crc.update(buf.array(), 0, length - 4);
        buf.putInt((int) crc.getValue());
        return buf.array();
    }

    /** Writes {@link #toBytes()}. */
    public void write(OutputStream out) throws IOException {
        out.write(toBytes());
    }

    /**
     * Reads and checks one header from {@code in}, leaving the stream just after it.
     *
     * @param sourceNameForErrors names the data in exception messages, e.g. the file name
     * @throws BitstreamException if the data is not a valid version-1 header
     */
    public static ParlaHeader read(InputStream in, String sourceNameForErrors) throws IOException {
        String src = sourceNameForErrors;
        byte[] start = in.readNBytes(START_BYTES);
        if (start.length == 0) throw new BitstreamException(src + ": not a Parla file (empty)");
        for (int i = 0; i < Math.min(start.length, MAGIC.length); i++) {
            if (start[i] != MAGIC[i]) {
                throw new BitstreamException(src + ": not a Parla file (bad magic: starts with 0x"
                        + HexFormat.of().formatHex(start, 0, Math.min(start.length, 4)) + ", expected \"PRLA\")");
            }
        }
        if (start.length > OFF_VERSION && (start[OFF_VERSION] & 0xFF) != FORMAT_VERSION) {
            throw new BitstreamException(src + ": unsupported format version " + (start[OFF_VERSION] & 0xFF)
                    + " (this Parla reads version " + FORMAT_VERSION + ")");
        }
        if (start.length < START_BYTES) {
            throw new BitstreamException(src + ": truncated header: data ends at byte " + start.length);
        }
        int length = ((start[OFF_HEADER_LENGTH] & 0xFF) << 8) | (start[OFF_HEADER_LENGTH + 1] & 0xFF);
        if (length < FIXED_BYTES) {
            throw new BitstreamException(src + ": header at byte " + OFF_HEADER_LENGTH + ": header length " + length
                    + " is below the " + FIXED_BYTES + "-byte minimum (data corrupted)");
        }
        byte[] all = Arrays.copyOf(start, length);
        int got = in.readNBytes(all, START_BYTES, length - START_BYTES);
        if (got < length - START_BYTES) {
            throw new BitstreamException(src + ": truncated header: data ends at byte " + (START_BYTES + got)
                    + " of a " + length + "-byte header");
        }
        return parse(all, src);
    }

    private static ParlaHeader parse(byte[] all, String src) {
        int length = all.length;
        ByteBuffer buf = ByteBuffer.wrap(all);
        CRC32C crc = new CRC32C();
        crc.update(all, 0, length - 4);
        if ((int) crc.getValue() != buf.getInt(length - 4)) {
            throw new BitstreamException(src + ": header at byte 0: CRC mismatch (data corrupted)");
        }
        int family = all[OFF_FAMILY] & 0xFF;
        int bits = all[OFF_BITS] & 0xFF;
        if (bits < 1 || bits > 32) throw fieldError(src, OFF_BITS, "codebook bits " + bits + " out of range 1..32");
        int codebooks = all[OFF_CODEBOOKS] & 0xFF;
        if (codebooks != 1) {
            throw fieldError(src, OFF_CODEBOOKS, "unsupported: " + codebooks
                    + " codebooks (format version 1 carries exactly 1)");
        }
        int perPacket = buf.getShort(OFF_TOKENS_PER_PACKET) & 0xFFFF;
        if (perPacket == 0) throw fieldError(src, OFF_TOKENS_PER_PACKET, "tokens per packet is 0");
        long num = buf.getInt(OFF_RATE) & 0xFFFF_FFFFL;
        long den = buf.getInt(OFF_RATE + 4) & 0xFFFF_FFFFL;
        if (num == 0 || den == 0) throw fieldError(src, OFF_RATE, "token rate " + num + "/" + den + " has a zero");
        int inRate = buf.getInt(OFF_SAMPLE_RATES);
        int outRate = buf.getInt(OFF_SAMPLE_RATES + 4);
        if (inRate < 1 || outRate < 1) {
            throw fieldError(src, OFF_SAMPLE_RATES, "sample rates " + Integer.toUnsignedString(inRate) + " / "
                    + Integer.toUnsignedString(outRate) + " Hz out of range 1..2147483647");
        }
        long tokens = buf.getLong(OFF_TOKEN_COUNT);
        long samples = buf.getLong(OFF_SAMPLE_COUNT);
        if (tokens < UNKNOWN) throw fieldError(src, OFF_TOKEN_COUNT, "token count " + Long.toUnsignedString(tokens) + " too large");
        if (samples < UNKNOWN) {
            throw fieldError(src, OFF_SAMPLE_COUNT, "sample count " + Long.toUnsignedString(samples) + " too large");
        }
        byte[] hash = Arrays.copyOfRange(all, OFF_MODEL_HASH, OFF_MODEL_HASH + 32);
        int nameLength = all[OFF_NAME] & 0xFF;
        int pos = OFF_NAME + 1;
        int end = length - 4;
        if (pos + nameLength > end) {
            throw fieldError(src, OFF_NAME, "model name of " + nameLength + " bytes overruns the header");
        }
        String name;
        try {
            name = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(all, pos, nameLength)).toString();
        } catch (CharacterCodingException e) {
            throw fieldError(src, pos, "model name is not valid UTF-8");
        }
        pos += nameLength;
        List<HeaderExtension> extensions = new ArrayList<>();
        Set<Integer> types = new HashSet<>();
        while (pos < end) {
            if (end - pos < 4) throw fieldError(src, pos, "extension block header overruns the header");
            int type = buf.getShort(pos) & 0xFFFF;
            int valueLength = buf.getShort(pos + 2) & 0xFFFF;
            if (pos + 4 + valueLength > end) {
                throw fieldError(src, pos, "extension 0x" + HeaderExtension.hex4(type) + " of " + valueLength
                        + " bytes overruns the header");
            }
            HeaderExtension e = new HeaderExtension(type, Arrays.copyOfRange(all, pos + 4, pos + 4 + valueLength));
            if (!types.add(type)) throw fieldError(src, pos, "extension 0x" + HeaderExtension.hex4(type) + " appears twice");
            if (e.isCritical()) {
                throw fieldError(src, pos, "unsupported critical extension 0x" + HeaderExtension.hex4(type)
                        + " (written by a newer Parla)");
            }
            String problem = e.problem();
            if (problem != null) throw fieldError(src, pos, "extension 0x" + HeaderExtension.hex4(type) + ": " + problem);
            extensions.add(e);
            pos += 4 + valueLength;
        }
        return new ParlaHeader(hash, name, family, bits, codebooks, new TokenRate(num, den), inRate, outRate, perPacket,
                tokens, samples, extensions);
    }

    private static BitstreamException fieldError(String src, int offset, String problem) {
        return new BitstreamException(src + ": header at byte " + offset + ": " + problem);
    }

    private static byte[] utf8(String s) {
        if (s == null) throw new IllegalArgumentException("model name is required (may be empty)");
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(s));
            return Arrays.copyOf(b.array(), b.limit());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("model name is not encodable as UTF-8 (unpaired surrogate?)", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParlaHeader h && Arrays.equals(h.modelHash, modelHash) && h.modelName.equals(modelName)
                && h.codecFamilyId == codecFamilyId && h.codebookBits == codebookBits && h.codebooks == codebooks
                && h.tokenRate.equals(tokenRate) && h.inputSampleRate == inputSampleRate
                && h.outputSampleRate == outputSampleRate && h.tokensPerPacket == tokensPerPacket
                && h.tokenCount == tokenCount && h.sampleCount == sampleCount && h.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(modelHash) * 31 + Long.hashCode(tokenCount) * 17 + modelName.hashCode();
    }

    @Override
    public String toString() {
        return "ParlaHeader[model=" + modelName + " sha256=" + HexFormat.of().formatHex(modelHash, 0, 8) + "…, family="
                + codecFamilyId + ", " + codebookBits + " bits, " + codebooks + " codebook(s), " + tokenRate + " tokens/s, "
                + inputSampleRate + " Hz -> " + outputSampleRate + " Hz, " + tokensPerPacket + " tokens/packet, tokens="
                + (tokenCount == UNKNOWN ? "unknown" : tokenCount) + ", samples="
                + (sampleCount == UNKNOWN ? "unknown" : sampleCount) + ", extensions=" + extensions + "]";
    }

    /** Builds a header; model hash, codebook bits, token rate and sample rates are required. */
    public static final class Builder {
        private byte[] modelHash;
        private String modelName = "";
        private int codecFamilyId = CodecFamily.UNSPECIFIED_ID;
        private int codebookBits;
        private TokenRate tokenRate;
        private int inputSampleRate;
        private int outputSampleRate;
        private int tokensPerPacket = DEFAULT_TOKENS_PER_PACKET;
        private long tokenCount = UNKNOWN;
        private long sampleCount = UNKNOWN;
        private final List<HeaderExtension> extensions = new ArrayList<>();

        private Builder() {
        }

        public Builder model(byte[] sha256, String name) {
            this.modelHash = sha256;
            this.modelName = name;
            return this;
        }

        public Builder codecFamily(CodecFamily family) {
            this.codecFamilyId = family.id();
            return this;
        }

        public Builder codecFamilyId(int id) {
            this.codecFamilyId = id;
            return this;
        }

        public Builder codebookBits(int bits) {
            this.codebookBits = bits;
            return this;
        }

        public Builder tokenRate(long numerator, long denominator) {
            this.tokenRate = new TokenRate(numerator, denominator);
            return this;
        }

        public Builder sampleRates(int input, int output) {
            this.inputSampleRate = input;
            this.outputSampleRate = output;
            return this;
        }

        public Builder tokensPerPacket(int n) {
            this.tokensPerPacket = n;
            return this;
        }

        public Builder counts(long tokens, long samples) {
            this.tokenCount = tokens;
            this.sampleCount = samples;
            return this;
        }

        public Builder extension(HeaderExtension e) {
            extensions.add(e);
            return this;
        }

        public Builder paralinguisticEmbedding(float[] embedding, HeaderExtension.FloatFormat format) {
            return extension(HeaderExtension.paralinguisticEmbedding(embedding, format));
        }

        public ParlaHeader build() {
            return new ParlaHeader(modelHash, modelName, codecFamilyId, codebookBits, 1, tokenRate, inputSampleRate,
                    outputSampleRate, tokensPerPacket, tokenCount, sampleCount, extensions);
        }
    }
}
