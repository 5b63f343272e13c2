package io.parla.core.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AudioFilesTest {
    @TempDir
    Path dir;

    @Test
    void choosesTheDecoderByContentNotByName() throws IOException {
        Path flacNamedWav = dir.resolve("really-flac.wav");
        Files.write(flacNamedWav, TestFiles.bytes("flac/mono16.flac"));
        Path wavNamedFlac = dir.resolve("really-wav.flac");
        Files.write(wavNamedFlac, TestFiles.bytes("flac/mono16.wav"));

        float[] expected = WavReader.read(TestFiles.path("flac/mono16.wav")).samples();
        TestFiles.assertSameSamples(AudioFiles.read(flacNamedWav).samples(), expected, "FLAC named .wav");
        TestFiles.assertSameSamples(AudioFiles.read(wavNamedFlac).samples(), expected, "WAV named .flac");
        byte[] flacBytes = TestFiles.bytes("flac/mono16.flac");
        TestFiles.assertSameSamples(AudioFiles.read(flacBytes, "m").samples(), expected, "FLAC bytes");
    }

    @Test
    void skipsAnId3v2TagInFrontOfFlac() throws IOException {
        byte[] flac = TestFiles.bytes("flac/stereo8.flac");
        byte[] tagged = new byte[10 + 300 + flac.length];
        System.arraycopy(new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 2, 44}, 0, tagged, 0, 10); // 2*128+44 = 300
        System.arraycopy(flac, 0, tagged, 310, flac.length);
        Path file = dir.resolve("tagged.flac");
        Files.write(file, tagged);
        float[] expected = FlacReader.read(flac, "plain").samples();
        TestFiles.assertSameSamples(AudioFiles.read(file).samples(), expected, "tagged file");
        TestFiles.assertSameSamples(AudioFiles.read(tagged, "tagged").samples(), expected, "tagged bytes");
    }

    @Test
    void rejectsOtherContent() throws IOException {
        Path text = dir.resolve("notes.wav");
        Files.writeString(text, "just some text");
        TestFiles.assertRejected(() -> AudioFiles.read(text), text, "not a WAV or FLAC file");
        Path empty = dir.resolve("empty.flac");
        Files.write(empty, new byte[0]);
        TestFiles.assertRejected(() -> AudioFiles.read(empty), empty, "empty file");
        Path missing = dir.resolve("missing.wav");
        TestFiles.assertRejected(() -> AudioFiles.read(missing), missing, "file not found");
        byte[] mp3 = {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 1, 0, (byte) 0xFF, (byte) 0xFB, 0x50, 0};
        TestFiles.assertRejected(() -> AudioFiles.read(mp3, "song.mp3"), "song.mp3", "not a WAV or FLAC file");
    }
}
