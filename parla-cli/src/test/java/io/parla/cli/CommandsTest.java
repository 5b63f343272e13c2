package io.parla.cli;

import io.parla.core.audio.Audio;
import io.parla.core.audio.WavWriter;
import io.parla.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code parla eval}, {@code parla compare} and {@code parla bench} end to end on the tiny golden causal model. */
class CommandsTest {
    static final Path TINY = Path.of("../parla-focalcodec/src/test/resources/golden/tiny_causal_50hz_2k");

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = ParlaCli.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void evalScoresAModelListsUnreadableFilesAndWritesTheReport() throws Exception {
        Path refs = Files.createDirectories(dir.resolve("refs/sub"));
        WavWriter.writePcm16(refs.resolve("speech.wav"), new Audio(SyntheticSpeech.generate(16000, 16000, 3), 16000));
        WavWriter.writePcm16(dir.resolve("refs/at8k.wav"), new Audio(SyntheticSpeech.generate(8000, 8000, 4), 8000));
        Files.writeString(dir.resolve("refs/broken.wav"), "not audio");
        Path report = dir.resolve("report");
        Run r = run("eval", "--model", TINY.toString(), "--out", report.toString(), "--no-progress", "--examples", "1",
                dir.resolve("refs").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("parla:tiny_causal_50hz_2k").contains("550 bit/s");
        assertThat(r.err()).contains("1 of 3 file(s) skipped").contains("broken.wav (read)");
        assertThat(report.resolve("index.html")).exists();
        assertThat(Files.readString(report.resolve("results.csv")).lines().count()).isEqualTo(3);
    }

    @Test
    void evalOfAnEmptyFolderFails() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Run r = run("eval", "--model", TINY.toString(), "--no-progress", dir.resolve("empty").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("no WAV or FLAC files found");
    }

    @Test
    void evalRejectsAModelAndACodecTogether() throws Exception {
        Files.createDirectories(dir.resolve("x"));
        Run r = run("eval", "--model", TINY.toString(), "--codec", "codec2:700C", dir.resolve("x").toString());
        assertThat(r.err()).contains("either --model or --codec");
    }

    @Test
    @SuppressWarnings("unchecked")
    void benchOfflineAndStreamingPrintJson() {
        Run off = run("bench", "--model", TINY.toString(), "--seconds", "0.5", "--warmup", "0", "--json");
        assertThat(off.exit()).as(off.err()).isZero();
        Map<String, Object> j = Json.parseObject(off.out());
        assertThat(j.get("mode")).isEqualTo("offline");
        assertThat(((Number) j.get("x_real_time")).doubleValue()).isPositive();
        assertThat(((Number) j.get("gflop_per_audio_second")).doubleValue()).isPositive();
        assertThat(j).containsKeys("encode_share", "time_to_first_token_ms", "peak_rss_mb", "heap_used_mb");
        assertThat((Map<String, Object>) j.get("model")).containsEntry("weights", "F32");

        Run live = run("bench", "--model", TINY.toString(), "--seconds", "0.5", "--warmup", "0.2", "--streams", "2",
                "--weights", "bf16", "--json");
        assertThat(live.exit()).as(live.err()).isZero();
        Map<String, Object> s = Json.parseObject(live.out());
        assertThat(s.get("mode")).isEqualTo("streaming");
        assertThat(s.get("streams")).isEqualTo(2L);
        assertThat(((Number) s.get("chunks")).longValue()).isEqualTo(2 * 7); // 8000 samples = 6.25 chunks -> 7
        assertThat((Map<String, Object>) s.get("chunk_latency_ms")).containsKeys("p50", "p95", "p99", "max");
        assertThat(s).containsKey("keeps_up");
    }

    @Test
    void benchWritesARandomModelForAConfigAndPrintsATable() throws Exception {
        Run r = run("bench", "--config", TINY.resolve("config.json").toString(), "--seconds", "0.3", "--warmup", "0",
                "--streaming");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("(random weights)").contains("chunk latency").contains("keeps up")
                .contains("GFLOP per audio second").contains("peak RSS");
    }

    @Test
    void compareTwoCodecsOfAReportFileByFile() throws Exception {
        Path refs = Files.createDirectories(dir.resolve("clips"));
        WavWriter.writePcm16(refs.resolve("one.wav"), new Audio(SyntheticSpeech.generate(16000, 16000, 5), 16000));
        WavWriter.writePcm16(refs.resolve("two.wav"), new Audio(SyntheticSpeech.generate(16000, 16000, 6), 16000));
        Path report = dir.resolve("compare-report");
        for (String name : new String[] {"tiny-a", "tiny-b"}) {
            Run e = run("eval", "--model", TINY.toString(), "--out", report.toString(), "--no-progress", "--examples", "0",
                    "--name", name, refs.toString());
            assertThat(e.exit()).as(e.err()).isZero();
        }
        Run r = run("compare", "--report", report.toString(), "tiny-a", "tiny-b");
        assertThat(r.exit()).as(r.err()).isZero();
        // the same model twice: every per-file difference is exactly zero
        assertThat(r.out()).contains("tiny-b against tiny-a on 2 files").contains("+0.00000 +- 0.00000");
        Run j = run("compare", "--report", report.toString(), "--json", "tiny-a", "tiny-b");
        Map<String, Object> m = Json.parseObject(j.out());
        assertThat(m.get("files")).isEqualTo(2L);

        Run bad = run("compare", "--report", report.toString(), "tiny-a", "opus:6");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.err()).contains("results.json").contains("no codec named 'opus:6'").contains("tiny-a, tiny-b");
    }
}
