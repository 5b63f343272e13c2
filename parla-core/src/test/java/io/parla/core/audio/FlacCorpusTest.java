package io.parla.core.audio;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decodes the shared speech corpus; skipped where the corpus (or, for the cross-check, {@code flac}) is absent. */
class FlacCorpusTest {
    private static Path root;
    private static List<SpeechCorpus.Entry> manifest;

    @BeforeAll
    static void findCorpus() {
        root = SpeechCorpus.locate();
        assumeTrue(root != null, "shared speech corpus not present");
        manifest = SpeechCorpus.manifest(root);
    }

    @Test
    void decodedLengthsMatchTheManifest() {
        for (SpeechCorpus.Entry e : SpeechCorpus.spread(manifest, 12)) {
            Audio audio = FlacReader.read(e.file());
            assertThat(audio.sampleRate()).as(e.file().toString()).isEqualTo(16000);
            // The manifest rounds to milliseconds.
            assertThat(audio.durationSeconds()).as(e.file().toString()).isCloseTo(e.seconds(), within(0.0006));
        }
    }

    @Test
    void bitExactAgainstTheReferenceDecoder() throws Exception {
        assumeTrue(referenceDecoderPresent(), "flac command not installed");
        for (SpeechCorpus.Entry e : SpeechCorpus.spread(manifest, 4)) {
            Audio reference = WavReader.read(referenceDecode(e.file()), e.file() + " (flac -d)");
            assertThat(FlacReader.read(e.file()).samples()).as(e.file().toString())
                    .containsExactly(reference.samples());
        }
    }

    /**
     * Prints decode speed in CPU time of this thread (wall time on a shared two-core machine mostly measures the
     * neighbours), and with -Dparla.fullCorpus=true decodes every file of the corpus.
     */
    @Test
    void decodeSpeed() {
        boolean full = Boolean.getBoolean("parla.fullCorpus");
        List<SpeechCorpus.Entry> files = full ? manifest : SpeechCorpus.spread(manifest, 40);
        for (SpeechCorpus.Entry e : files.subList(0, Math.min(10, files.size()))) FlacReader.read(e.file());
        double audioSeconds = 0;
        long bytes = 0;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        for (SpeechCorpus.Entry e : files) {
            audioSeconds += FlacReader.read(e.file()).durationSeconds();
            bytes += e.file().toFile().length();
        }
        double cpu = (threads.getCurrentThreadCpuTime() - start) / 1e9;
        System.out.printf("FLAC decode: %d files, %.1f s of audio, %.1f MB in %.3f s CPU = %.0f s of audio per "
                + "CPU second%n", files.size(), audioSeconds, bytes / 1e6, cpu, audioSeconds / cpu);
        assertThat(audioSeconds).isPositive();
    }

    private static boolean referenceDecoderPresent() {
        try {
            Process p = new ProcessBuilder("flac", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static byte[] referenceDecode(Path flac) throws IOException, InterruptedException {
        Path wav = Files.createTempFile("parla-ref", ".wav");
        try {
            Process p = new ProcessBuilder("flac", "-s", "-f", "-d", "-o", wav.toString(), flac.toString())
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(output).isZero();
            return Files.readAllBytes(wav);
        } finally {
            Files.deleteIfExists(wav);
        }
    }
}
