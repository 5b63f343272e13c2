package io.parla.core.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every malformed input ends in an AudioFormatException whose message names the file and the problem. */
class WavReaderErrorsTest {
    private static final byte[] FMT16 = WavBytes.fmt(1, 1, 16000, 16);

    private static void assertFails(byte[] wav, String message) {
        TestFiles.assertRejected(() -> WavReader.read(wav, "in.wav"), "in.wav", message);
        // A stream of unknown length must fail the same way.
        TestFiles.assertRejected(() -> WavReader.read(new ByteArrayInputStream(wav), "in.wav"), "in.wav", message);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("nope.wav");
        TestFiles.assertRejected(() -> WavReader.read(file), file, "file not found");
        TestFiles.assertRejected(() -> WavReader.read(dir), dir, "is a directory, not an audio file");
    }

    @Test
    void notRiffWave() {
        assertFails(new byte[0], "empty file");
        assertFails("hello world, not audio".getBytes(), "not a RIFF/WAVE file");
        byte[] avi = WavBytes.riff().build();
        System.arraycopy("AVI ".getBytes(), 0, avi, 8, 4);
        assertFails(avi, "not a RIFF/WAVE file (RIFF form type 'AVI ')");
    }

    @Test
    void truncatedHeaders() {
        assertFails(Arrays.copyOf(WavBytes.riff().build(), 7), "truncated header (7 of 12 bytes)");
        byte[] wav = WavBytes.riff().chunk("fmt ", FMT16).build();
        assertFails(Arrays.copyOf(wav, 15), "truncated chunk header at byte 12");
        assertFails(Arrays.copyOf(wav, 30), "truncated fmt chunk (expected 16 bytes, found 10)");
        assertFails(WavBytes.riff().chunk("fmt ", new byte[12]).build(),
                "truncated fmt chunk (12 bytes, at least 16 needed)");
    }

    @Test
    void missingChunks() {
        assertFails(WavBytes.riff().chunk("LIST", new byte[4]).build(), "missing fmt chunk");
        assertFails(WavBytes.riff().chunk("data", new byte[4]).build(), "missing fmt chunk before data chunk");
        assertFails(WavBytes.riff().chunk("fmt ", FMT16).build(), "missing data chunk");
        assertFails(WavBytes.riff().chunk("fmt ", FMT16).chunk("LIST", 100, new byte[10], false).build(),
                "truncated LIST chunk (expected 100 bytes, found 10)");
    }

    @Test
    void truncatedData() {
        assertFails(WavBytes.riff().chunk("fmt ", FMT16).chunk("data", 96000, new byte[1200], false).build(),
                "truncated data chunk (expected 96000 bytes, found 1200)");
    }

    @Test
    void unsupportedEncodingsAreNamed() {
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(6, 1, 8000, 8)).build(),
                "unsupported encoding A-law (format tag 0x0006)");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(2, 1, 8000, 4)).build(),
                "unsupported encoding Microsoft ADPCM (format tag 0x0002)");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(0x1234, 1, 8000, 8)).build(),
                "unsupported encoding format tag 0x1234");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmtExtensible(1, 8000, 8, 8, 7)).build(),
                "unsupported encoding WAVE_FORMAT_EXTENSIBLE with sub-format mu-law (format tag 0x0007)");
        byte[] oddGuid = WavBytes.fmtExtensible(1, 8000, 16, 16, 1);
        oddGuid[39] = 0;
        assertFails(WavBytes.riff().chunk("fmt ", oddGuid).build(),
                "unsupported WAVE_FORMAT_EXTENSIBLE sub-format {00000001-0000-0010-8000-00AA00389B00}");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(3, 1, 8000, 16)).build(),
                "unsupported bit depth 16 for IEEE float (format tag 0x0003)");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 1, 8000, 40)).build(),
                "unsupported bit depth 40 for PCM (format tag 0x0001)");
    }

    @Test
    void invalidFormatFields() {
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 0, 8000, 16)).build(), "zero channels in fmt chunk");
        assertFails(WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 1, 0, 16)).build(), "zero sample rate in fmt chunk");
        byte[] badAlign = WavBytes.fmt(1, 2, 8000, 16);
        badAlign[12] = 3;
        assertFails(WavBytes.riff().chunk("fmt ", badAlign).build(),
                "inconsistent fmt chunk: block align 3, expected 4 for 2 channel(s) of 16 bits");
    }

    @Test
    void emptyAudio() {
        assertFails(WavBytes.riff().chunk("fmt ", FMT16).chunk("data", new byte[0]).build(),
                "empty audio (data chunk holds no samples)");
        assertFails(WavBytes.riff().chunk("fmt ", FMT16).chunk("data", new byte[1]).build(),
                "empty audio (data chunk holds no samples)");
    }

    @Test
    void nonFiniteFloatSamples() {
        byte[] fmt = WavBytes.fmt(3, 1, 8000, 32);
        assertFails(WavBytes.riff().chunk("fmt ", fmt).chunk("data", WavBytes.float32(0f, 0.5f, Float.NaN)).build(),
                "non-finite float sample at frame 2 (NaN)");
        assertFails(WavBytes.riff().chunk("fmt ", fmt)
                .chunk("data", WavBytes.float32(Float.NEGATIVE_INFINITY)).build(),
                "non-finite float sample at frame 0 (-Infinity)");
    }

    @Test
    void rf64WithoutDs64() {
        byte[] wav = WavBytes.riff().form("RF64").chunk("fmt ", FMT16)
                .chunk("data", 0xFFFFFFFFL, new byte[4], false).build();
        assertFails(wav, "RF64 file without ds64 chunk");
    }

    @Test
    void exceptionExposesFileAndProblem() {
        AudioFormatException e = new AudioFormatException("a.wav", "broken");
        assertThat(e.file()).isEqualTo("a.wav");
        assertThat(e.problem()).isEqualTo("broken");
    }
}
