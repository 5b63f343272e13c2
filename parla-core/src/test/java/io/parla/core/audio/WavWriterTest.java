package io.parla.core.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class WavWriterTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(WavEncoding.class)
    void roundTripIsWithinHalfAQuantisationStep(WavEncoding encoding) throws IOException {
        Random random = new Random(7);
        float[] x = new float[1001]; // odd, so 8-bit data needs its pad byte
        for (int i = 0; i < x.length; i++) x[i] = random.nextFloat() * 2 - 1;
        x[0] = -1f;
        x[1] = 0f;
        x[2] = 0.999f;
        Path file = dir.resolve(encoding + ".wav");
        WavWriter.write(file, new Audio(x, 22050), encoding);

        Audio back = WavReader.read(file);
        assertThat(back.sampleRate()).isEqualTo(22050);
        assertThat(back.samples()).hasSize(x.length);
        if (encoding.isFloatingPoint()) {
            assertThat(back.samples()).containsExactly(x);
        } else {
            double halfStep = Math.scalb(1.0, -encoding.bitsPerSample());
            double largest = 1 - 2 * halfStep; // the top code: +1.0 itself is not representable
            for (int i = 0; i < x.length; i++)
                assertThat((double) back.samples()[i]).as("sample %d", i)
                        .isCloseTo(Math.min(x[i], largest), within(halfStep * 1.0001));
        }
        assertThat(Files.size(file) % 2).isZero();
    }

    @Test
    void decodedValuesSurviveAnotherRoundTripExactly() throws IOException {
        Path first = dir.resolve("a.wav");
        Path second = dir.resolve("b.wav");
        WavWriter.writePcm16(first, new Audio(new float[] {0.3f, -0.7f, 0.123456f}, 16000));
        Audio once = WavReader.read(first);
        WavWriter.writePcm16(second, once);
        assertThat(WavReader.read(second).samples()).containsExactly(once.samples());
    }

    @Test
    void pcmClipsOutOfRangeSamples() throws IOException {
        Path file = dir.resolve("clip.wav");
        WavWriter.writePcm16(file, new Audio(new float[] {1.5f, 1f, -1f, -3f}, 8000));
        assertThat(WavReader.read(file).samples()).containsExactly(32767 / 32768f, 32767 / 32768f, -1f, -1f);
    }

    @Test
    void float32FileHasFmtFactAndDataChunks() throws IOException {
        Path file = dir.resolve("f.wav");
        WavWriter.writeFloat32(file, new Audio(new float[] {0.25f, -0.5f, 2f}, 48000));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(b.array(), 0, 4)).isEqualTo("RIFF");
        assertThat(b.getInt(4)).isEqualTo(b.capacity() - 8);
        assertThat(new String(b.array(), 12, 4)).isEqualTo("fmt ");
        assertThat(b.getShort(20)).isEqualTo((short) 3);
        assertThat(new String(b.array(), 38, 4)).isEqualTo("fact");
        assertThat(b.getInt(46)).isEqualTo(3);
        assertThat(new String(b.array(), 50, 4)).isEqualTo("data");
        assertThat(WavReader.read(file).samples()).containsExactly(0.25f, -0.5f, 2f);
    }

    @Test
    void replacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("out.wav");
        Files.writeString(file, "old content");
        WavWriter.writePcm16(file, new Audio(new float[] {0.5f}, 16000));
        assertThat(WavReader.read(file).samples()).containsExactly(0.5f);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void rejectsNonFiniteSamplesWithoutTouchingTheTarget() {
        Path file = dir.resolve("nan.wav");
        assertThatThrownBy(() -> WavWriter.writeFloat32(file, new Audio(new float[] {0f, Float.NaN}, 16000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sample 1 is not finite");
        assertThat(file).doesNotExist();
    }

    @Test
    void durationIsSamplesOverRate() {
        assertThat(new Audio(new float[24000], 16000).durationSeconds()).isEqualTo(1.5);
    }
}
