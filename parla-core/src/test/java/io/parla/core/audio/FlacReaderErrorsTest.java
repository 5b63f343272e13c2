package io.parla.core.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlacReaderErrorsTest {
    private static final byte[] VALID = TestFiles.bytes("flac/mono16.flac");
    private static final int FIRST_FRAME = firstFrame(VALID);

    /** Walks the metadata blocks: 4-byte headers (last-block flag, type, 24-bit length) after "fLaC". */
    private static int firstFrame(byte[] flac) {
        int pos = 4;
        boolean last;
        do {
            last = (flac[pos] & 0x80) != 0;
            pos += 4 + ((flac[pos + 1] & 0xFF) << 16 | (flac[pos + 2] & 0xFF) << 8 | (flac[pos + 3] & 0xFF));
        } while (!last);
        return pos;
    }

    private static void assertFails(byte[] flac, String message) {
        TestFiles.assertRejected(() -> FlacReader.read(flac, "in.flac"), "in.flac", message);
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("gone.flac");
        TestFiles.assertRejected(() -> FlacReader.read(file), file, "file not found");
    }

    @Test
    void notFlac() {
        assertFails(new byte[0], "empty file");
        assertFails("RIFF....WAVE".getBytes(), "not a FLAC file (no fLaC signature)");
    }

    @Test
    void brokenMetadata() {
        assertFails(Arrays.copyOf(VALID, 6), "truncated metadata block header");
        assertFails(Arrays.copyOf(VALID, 30), "truncated metadata block (type 0, 34 bytes declared, 22 present)");
        byte[] notStreamInfo = VALID.clone();
        notStreamInfo[4] = (byte) 0x81; // last block, type PADDING
        assertFails(notStreamInfo, "first metadata block is not a STREAMINFO block");
        byte[] zeroRate = VALID.clone();
        zeroRate[18] = 0;
        zeroRate[19] = 0;
        zeroRate[20] &= 0x0F;
        assertFails(zeroRate, "zero sample rate in STREAMINFO");
    }

    @Test
    void corruptedFrames() {
        byte[] header = VALID.clone();
        header[FIRST_FRAME + 5] ^= 0x01; // the first frame's header CRC-8
        assertFails(header, "corrupt FLAC stream at byte " + (FIRST_FRAME + 6)
                + ": frame header CRC-8 mismatch (frame starting at byte " + FIRST_FRAME + ")");
        byte[] footer = VALID.clone();
        footer[footer.length - 1] ^= 0x40; // the last frame's CRC-16
        assertThatThrownBy(() -> FlacReader.read(footer, "in.flac")).isInstanceOf(AudioFormatException.class)
                .hasMessageMatching("in\\.flac: corrupt FLAC stream at byte \\d+: frame CRC-16 mismatch "
                        + "\\(frame starting at byte \\d+\\)");
        byte[] sync = VALID.clone();
        sync[FIRST_FRAME] = 0x12;
        assertFails(sync, "corrupt FLAC stream at byte " + FIRST_FRAME + ": frame sync code not found");
    }

    @Test
    void truncatedStreams() {
        assertThatThrownBy(() -> FlacReader.read(Arrays.copyOf(VALID, VALID.length - 100), "in.flac"))
                .isInstanceOf(AudioFormatException.class).hasMessageStartingWith("in.flac: corrupt FLAC stream at")
                .hasMessageContaining("truncated");
        assertFails(Arrays.copyOf(VALID, FIRST_FRAME),
                "truncated: STREAMINFO declares 5000 samples, the stream ends after 0");
    }

    @Test
    void frameDisagreeingWithStreamInfo() {
        byte[] flac = FlacBits.stream(8000, 2, 16, 4).frame(0, 4, 0, 0, f -> f.bits(0, 64)).bytes();
        assertFails(flac, "corrupt FLAC stream at byte 50: frame has 1 channels, STREAMINFO says 2");
    }

    @Test
    void noSamples() {
        assertFails(FlacBits.stream(8000, 1, 16, 0).bytes(), "empty audio (no samples)");
    }
}
