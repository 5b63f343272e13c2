package io.parla.cli;

import io.parla.core.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model the README's first command uses: it is found without {@code --model}, and resynthesises the bundled sample
 * as well as its model card says (a broken or regressed ship fails here, not in a user's ear).
 */
class BundledModelTest {
    static final Path HOME = Path.of("..");
    static final Path SAMPLE = HOME.resolve("samples/librispeech-3259-158083-0000.wav");

    @TempDir
    Path dir;

    @Test
    void isTheDefaultAndDescribesItself() {
        String before = System.getProperty("parla.home");
        System.setProperty("parla.home", HOME.toString());
        try {
            CommandsTest.Run r = CommandsTest.run("info");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("parla-default").contains("4096 codes").contains("50 Hz").contains("600 bit/s")
                    .contains("80 ms");
        } finally {
            if (before == null) System.clearProperty("parla.home");
            else System.setProperty("parla.home", before);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void resynthesisesTheSampleIntelligibly() throws Exception {
        Path report = dir.resolve("report");
        CommandsTest.Run r = CommandsTest.run("eval", "--model", HOME.resolve("models/parla-default").toString(),
                "--out", report.toString(), "--no-progress", "--examples", "0", SAMPLE.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        Map<String, Object> json = Json.parseObject(Files.readString(report.resolve("results.json")));
        List<Map<String, Object>> rows = (List<Map<String, Object>>) json.get("results");
        assertThat(rows).hasSize(1);
        // eval/results.csv: v23 scores 0.834 / 0.693 on this file (v20 0.814 / 0.679, v19 0.823 / 0.699) through the same live streaming path; Codec 2 700C 0.790
        assertThat(((Number) rows.get(0).get("stoi")).doubleValue()).isGreaterThan(0.80);
        assertThat(((Number) rows.get(0).get("estoi")).doubleValue()).isGreaterThan(0.65);
        assertThat(((Number) rows.get(0).get("bitrate_bps")).doubleValue()).isEqualTo(600.0);
    }
}
