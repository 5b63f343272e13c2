package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parla.core.json.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluatorTest {
    @TempDir
    Path tmp;

    /** Reads the first 4 s of fixtures by resource name; anything else fails like a real reader would. */
    private static final Evaluator.AudioReader READER = file -> {
        if (!file.startsWith("golden")) throw new java.nio.file.NoSuchFileException(file.toString());
        TestWavs.Wav w = TestWavs.resource(file.toString());
        return new Evaluator.Signal(java.util.Arrays.copyOf(w.samples(), Math.min(w.samples().length, 4 * w.rate())), w.rate());
    };

    /** Output 25 ms late, at 24 kHz, "1 kbit/s". */
    private static final Codec LATE_24K = (x, rate) -> {
        float[] late = new float[x.length + rate / 40];
        System.arraycopy(x, 0, late, rate / 40, x.length);
        return new DecodedSignal(Resampling.resample(late, rate, 24000), 24000, 1000);
    };

    /** Telephone band: through 8 kHz and back, "64 kbit/s". */
    private static final Codec NARROWBAND = (x, rate) ->
            new DecodedSignal(Resampling.resample(Resampling.resample(x, rate, 8000), 8000, rate), rate, 64000);

    private static final List<Path> FILES = List.of(
            Path.of("golden/clip0_ref.wav"), Path.of("missing/nowhere.wav"), Path.of("golden/clip1_ref.wav"));

    @Test
    void runsCapturesFailuresAndWritesAnAccumulatingReport() throws IOException {
        Path dir = keepOrTemp();
        List<String> progress = new ArrayList<>();
        Evaluator.EvalRun run = new Evaluator(READER).withExamples(1)
                .run("late24k:1k", LATE_24K, FILES, dir, (done, total, file, error) -> progress.add(done + "/" + total + (error == null ? "" : " " + error)));
        System.out.println(run.summary());

        assertThat(progress).hasSize(3);
        assertThat(progress.get(1)).startsWith("2/3 read: file not found");
        assertThat(run.results()).hasSize(2);
        assertThat(run.failures()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo("read");
            assertThat(f.file()).isEqualTo("missing/nowhere.wav");
        });
        for (FileResult r : run.results()) {
            assertThat(r.delayMs()).isCloseTo(25.0, org.assertj.core.data.Offset.offset(0.1));
            assertThat(r.stoi()).isGreaterThan(0.99);
            assertThat(r.bitsPerSecond()).isEqualTo(1000.0);
            assertThat(r.f0Match()).isGreaterThan(0.9);
            assertThat(r.gpe()).isLessThan(0.05);
        }

        // second codec merges; re-running the first replaces its rows instead of duplicating them
        new Evaluator(READER).withExamples(1).run("narrowband:64k", NARROWBAND, FILES.subList(0, 1), dir, null);
        Evaluator.EvalRun again = new Evaluator(READER).withExamples(1).run("late24k:1k", LATE_24K, FILES, dir, Evaluator.Progress.NONE);
        assertThat(again.report().results()).hasSize(3);
        assertThat(again.report().failures()).hasSize(1);
        assertThat(again.summary()).contains("late24k:1k").contains("narrowband:64k");

        String csv = Files.readString(dir.resolve("results.csv"));
        assertThat(csv.lines()).hasSize(4).first().isEqualTo("file,codec,bitrate_bps,stoi,estoi,si_sdr_db,mel_distance,delay_ms,f0_match,gpe");
        Map<String, Object> json = Json.parseObject(Files.readString(dir.resolve("results.json")));
        assertThat((List<?>) json.get("results")).hasSize(3);
        assertThat((List<?>) json.get("examples")).hasSize(2);

        String html = Files.readString(dir.resolve("index.html"));
        assertThat(html).contains("late24k:1k", "narrowband:64k", "quality_vs_bitrate.png", "nowhere.wav", "<audio",
                        "<th>F0 match</th><th>GPE</th>", "F0 match &uarr;", "GPE &darr;")
                .doesNotContain("http://", "https://");
        assertThat(ImageIO.read(dir.resolve("quality_vs_bitrate.png").toFile()).getWidth()).isGreaterThan(800);
        try (var assets = Files.list(dir.resolve("assets"))) {
            assertThat(assets.filter(p -> p.toString().endsWith(".png")).count()).isEqualTo(2);
        }
    }

    @Test
    void codecAndMetricFailuresAreCapturedPerFile() throws IOException {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        Codec flaky = (x, rate) -> {
            if (calls.getAndIncrement() == 0) throw new IllegalStateException("boom");
            return new DecodedSignal(new float[100], rate, 500); // far too short to score
        };
        Evaluator.EvalRun run = new Evaluator(READER).run("flaky", flaky,
                List.of(Path.of("golden/clip0_ref.wav"), Path.of("golden/clip1_ref.wav")), tmp, null);
        assertThat(run.results()).isEmpty();
        assertThat(run.failures()).extracting(FileFailure::stage).containsExactly("codec", "metrics");
        assertThat(run.failures().get(0).reason()).isEqualTo("boom");
        assertThat(run.failures().get(1).reason()).contains("at least 30 frames");
        assertThat(Files.readString(tmp.resolve("index.html"))).contains("boom");
    }

    @Test
    void emptyFileListIsAClearError() {
        assertThatThrownBy(() -> new Evaluator(READER).run("x", LATE_24K, List.of(), tmp, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("no input files to evaluate");
    }

    @Test
    void foreignResultsJsonIsNotOverwritten() throws IOException {
        Files.writeString(tmp.resolve("results.json"), "{\"something\": 1}");
        assertThatThrownBy(() -> EvalReport.write(tmp, List.of(), List.of(), List.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("not a parla-eval results file");
    }

    @Test
    void csvQuotesAndBlanksNonFiniteValues() {
        String csv = EvalReport.toCsv(List.of(new FileResult("a,b.wav", "c", Double.NaN, 0.5, 0.4, Double.NEGATIVE_INFINITY, 0.3, 0,
                0.25, Double.NaN)));
        assertThat(csv.lines().skip(1).findFirst().orElseThrow()).isEqualTo("\"a,b.wav\",c,,0.500000,0.400000,,0.300000,0.0000,0.250000,");
    }

    @Test
    void resultsWrittenBeforeThePitchScoresReadAsNaNAndMergeWithNewOnes() throws IOException {
        Files.writeString(tmp.resolve("results.json"), """
                {"format": "parla-eval-results", "version": 1,
                 "results": [{"file": "old.wav", "codec": "opus:6", "bitrate_bps": 6000.0, "stoi": 0.8, "estoi": 0.6,
                              "si_sdr_db": 2.5, "mel_distance": 0.4, "delay_ms": 6.5}],
                 "failures": [], "examples": []}
                """);
        FileResult old = EvalReport.read(tmp).results().getFirst();
        assertThat(old).isEqualTo(new FileResult("old.wav", "opus:6", 6000, 0.8, 0.6, 2.5, 0.4, 6.5, Double.NaN, Double.NaN));

        FileResult fresh = new FileResult("new.wav", "parla:x", 1000, 0.7, 0.5, -3, 0.5, 40, 0.2, 0.6);
        EvalReport.Report r = EvalReport.write(tmp, List.of(fresh), List.of(), List.of());
        assertThat(r.results()).containsExactly(old, fresh);
        assertThat(EvalReport.read(tmp).results()).containsExactly(old, fresh);
        assertThat(Files.readString(tmp.resolve("results.csv")).lines())
                .contains("old.wav,opus:6,6000.0,0.800000,0.600000,2.5000,0.400000,6.5000,,");
        String[] summary = r.summary().lines().toArray(String[]::new);
        assertThat(summary[0]).endsWith("delay ms  F0 match mean/med  GPE mean/med");
        assertThat(summary[2]).startsWith("opus:6").endsWith("6.5  n/a / n/a          n/a / n/a");
        assertThat(summary[3]).startsWith("parla:x").endsWith("40.0  0.200 / 0.200      0.600 / 0.600");
    }

    /** {@code -Dparla.eval.keepReport=DIR} keeps the report for a look; otherwise a temporary directory. */
    private Path keepOrTemp() throws IOException {
        String keep = System.getProperty("parla.eval.keepReport");
        if (keep == null) return tmp;
        Path d = Path.of(keep);
        Files.createDirectories(d);
        return d;
    }
}
