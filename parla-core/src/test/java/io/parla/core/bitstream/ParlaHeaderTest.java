package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class ParlaHeaderTest {
    private static ParlaHeader readBack(ParlaHeader h) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        h.write(out);
        assertThat(out.size()).isEqualTo(h.encodedLength());
        return ParlaHeader.read(new ByteArrayInputStream(out.toByteArray()), "h");
    }

    @Test
    void roundTripsEveryField() throws IOException {
        float[] embedding = {0.25f, -3.5f, 1e-3f, 65504f};
        ParlaHeader h = ParlaHeader.builder().model(Fixtures.sha256("secousti"), "SecoustiCodec 86 Hz • ünïcode")
                .codecFamily(CodecFamily.SECOUSTICODEC).codebookBits(13).tokenRate(11025, 128)
                .sampleRates(22_050, 22_050).tokensPerPacket(65535).counts(123_456_789_012L, Long.MAX_VALUE)
                .paralinguisticEmbedding(embedding, HeaderExtension.FloatFormat.F32)
                .extension(new HeaderExtension(0x7001, new byte[] {1, 2, 3})).build();
        ParlaHeader back = readBack(h);
        assertThat(back).isEqualTo(h);
        assertThat(back.paralinguisticEmbedding()).hasValueSatisfying(v -> assertThat(v).containsExactly(embedding));
        assertThat(back.codecFamily()).contains(CodecFamily.SECOUSTICODEC);
        assertThat(back.tokenRate().hz()).isEqualTo(86.1328125);
        assertThat(back.extension(0x7001).orElseThrow().value()).containsExactly(1, 2, 3);
    }

    @Test
    void f16EmbeddingsRoundToHalfPrecision() throws IOException {
        ParlaHeader h = Fixtures.focal("m", 11)
                .paralinguisticEmbedding(new float[] {0.1f, 1f, -2.5f}, HeaderExtension.FloatFormat.F16).build();
        ParlaHeader back = readBack(h);
        assertThat(back.extension(HeaderExtension.PARALINGUISTIC_EMBEDDING).orElseThrow().embeddingFormat())
                .isEqualTo(HeaderExtension.FloatFormat.F16);
        assertThat(back.paralinguisticEmbedding().orElseThrow()).containsExactly(0.099975586f, 1f, -2.5f);
        assertThat(h.encodedLength()).isEqualTo(ParlaHeader.FIXED_BYTES + 1 + 4 + 1 + 3 * 2);
    }

    @Test
    void unknownCodecFamiliesAndNonCriticalExtensionsAreKept() throws IOException {
        ParlaHeader h = Fixtures.focal("m", 11).codecFamilyId(200).extension(new HeaderExtension(0x0042, new byte[0]))
                .build();
        ParlaHeader back = readBack(h);
        assertThat(back.codecFamilyId()).isEqualTo(200);
        assertThat(back.codecFamily()).isEmpty();
        assertThat(back.extensions()).hasSize(1);
    }

    @Test
    void unknownCriticalExtensionsAreRefused() {
        ParlaHeader h = Fixtures.focal("m", 11).extension(new HeaderExtension(0x8123, new byte[] {9})).build();
        assertThatThrownBy(() -> readBack(h)).isInstanceOf(BitstreamException.class)
                .hasMessage("h: header at byte 78: unsupported critical extension 0x8123 (written by a newer Parla)");
    }

    @Test
    void semanticallyBadFieldsWithAValidCrcAreNamed() {
        byte[] bytes = Fixtures.focal("m", 11).build().toBytes();
        bytes[ParlaHeader.OFF_BITS] = 40;
        assertThatThrownBy(() -> ParlaHeader.read(new ByteArrayInputStream(recrc(bytes)), "h"))
                .hasMessage("h: header at byte 8: codebook bits 40 out of range 1..32");
        byte[] two = Fixtures.focal("m", 11).build().toBytes();
        two[ParlaHeader.OFF_CODEBOOKS] = 2;
        assertThatThrownBy(() -> ParlaHeader.read(new ByteArrayInputStream(recrc(two)), "h"))
                .hasMessageContaining("2 codebooks (format version 1 carries exactly 1)");
        byte[] badName = Fixtures.focal("m", 11).build().toBytes();
        badName[ParlaHeader.OFF_NAME + 1] = (byte) 0xC3;
        assertThatThrownBy(() -> ParlaHeader.read(new ByteArrayInputStream(recrc(badName)), "h"))
                .hasMessage("h: header at byte 77: model name is not valid UTF-8");
    }

    private static byte[] recrc(byte[] header) {
        CRC32C crc = new CRC32C();
        crc.update(header, 0, header.length - 4);
        ByteBuffer.wrap(header).putInt(header.length - 4, (int) crc.getValue());
        return header;
    }

    @Test
    void requireModelNamesBothModels() {
        ParlaHeader h = Fixtures.focal(Fixtures.FC_2K, 11).build();
        h.requireModel(Fixtures.sha256(Fixtures.FC_2K), "renamed");
        assertThatThrownBy(() -> h.requireModel(Fixtures.sha256(Fixtures.FC_4K), Fixtures.FC_4K, "in.parla"))
                .isInstanceOf(BitstreamException.class)
                .hasMessageStartingWith("in.parla: encoded with model 'focalcodec_50hz_2k_causal' (sha256 ")
                .hasMessageContaining("but the loaded model is 'focalcodec_50hz_4k_causal' (sha256 ")
                .hasMessageEndingWith("); decode it with the model it was encoded with");
    }

    @Test
    void builderRejectsWhatTheFormatCannotHold() {
        assertThatThrownBy(() -> Fixtures.focal("m", 11).tokensPerPacket(65536).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fixtures.focal("x".repeat(256), 11).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParlaHeader.builder().model(new byte[31], "m").codebookBits(11).tokenRate(50, 1)
                .sampleRates(1, 1).build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TokenRate.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Fixtures.focal("m", 11).extension(new HeaderExtension(1, new byte[] {9})).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown float format 9");
    }
}
