package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PairedComparisonTest {
    @TempDir
    Path tmp;

    private static FileResult r(String file, String codec, double stoi, double mel, double gpe) {
        return new FileResult(file, codec, 600, stoi, stoi - 0.2, 1.0, mel, 20, 0.5, gpe);
    }

    private static final List<FileResult> RESULTS = List.of(
            r("a.wav", "old", 0.50, 0.3, 0.4), r("b.wav", "old", 0.60, 0.3, Double.NaN), r("c.wav", "old", 0.70, 0.3, 0.2),
            r("a.wav", "new", 0.52, 0.2, 0.3), r("b.wav", "new", 0.61, 0.3, 0.1), r("c.wav", "new", 0.69, 0.4, 0.1),
            r("only-new.wav", "new", 0.99, 0.0, 0.0), r("a.wav", "codec2:700C", 0.4, 0.5, 0.9),
            r("d, \"quoted\".wav", "a, b", 0.1, 0.1, Double.NaN));

    @Test
    void pairsByFileAndGivesTheMeanDifferenceWithItsStandardError() {
        PairedComparison.Comparison c = PairedComparison.of(RESULTS, "old", "new");
        assertThat(c.files()).isEqualTo(3); // only-new.wav has no baseline
        PairedComparison.Row stoi = c.rows().get(0);
        assertThat(stoi.metric()).isEqualTo("STOI");
        // differences +0.02, +0.01, -0.01
        assertThat(stoi.difference()).isCloseTo(0.02 / 3, within(1e-12));
        // deviations +0.01333, +0.00333, -0.01667: sqrt(4.667e-4 / 2 / 3)
        assertThat(stoi.standardError()).isCloseTo(0.0088192, within(1e-6));
        assertThat(stoi.baseline()).isCloseTo(0.6, within(1e-12));
        assertThat(stoi.candidate()).isCloseTo(0.6066667, within(1e-6));
        assertThat(stoi.better()).isEqualTo(2);
        assertThat(stoi.worse()).isEqualTo(1);

        PairedComparison.Row mel = c.rows().stream().filter(x -> x.metric().equals("mel distance")).findFirst().orElseThrow();
        assertThat(mel.higherIsBetter()).isFalse();
        assertThat(mel.better()).as("lower mel distance is better; one tie").isEqualTo(1);
        assertThat(mel.worse()).isEqualTo(1);

        PairedComparison.Row gpe = c.rows().stream().filter(x -> x.metric().equals("GPE")).findFirst().orElseThrow();
        assertThat(gpe.files()).as("the pair with an undefined GPE is left out").isEqualTo(2);
        assertThat(gpe.difference()).isCloseTo(-0.1, within(1e-12));
        assertThat(gpe.better()).isEqualTo(2);
        assertThat(gpe.standardError()).isCloseTo(0, within(1e-12));

        assertThat(c.table()).contains("new against old on 3 files").contains("STOI ^").contains("+0.00667 +- 0.00882");
    }

    @Test
    void resultsCsvReadsBackWhatWasWritten() throws Exception {
        Path csv = Files.writeString(tmp.resolve("r.csv"), EvalReport.toCsv(RESULTS));
        List<FileResult> back = EvalReport.readCsv(csv);
        assertThat(back).hasSameSizeAs(RESULTS);
        for (int i = 0; i < back.size(); i++) {
            FileResult a = RESULTS.get(i), b = back.get(i);
            assertThat(b.file()).isEqualTo(a.file());
            assertThat(b.codec()).isEqualTo(a.codec());
            assertThat(b.stoi()).isCloseTo(a.stoi(), within(1e-6));
            assertThat(b.melDistance()).isCloseTo(a.melDistance(), within(1e-6));
            assertThat(Double.isNaN(b.gpe())).isEqualTo(Double.isNaN(a.gpe()));
        }
        Path broken = Files.writeString(tmp.resolve("broken.csv"), "file,codec,stoi\na.wav,x,zero point five\n");
        assertThatThrownBy(() -> EvalReport.readCsv(broken)).hasMessageContaining("broken.csv line 2");
        Path binary = Files.write(tmp.resolve("model.safetensors"), new byte[] {8, 0, 0, 0, (byte) 0xff, (byte) 0xfe, 0, 1});
        assertThatThrownBy(() -> EvalReport.readCsv(binary)).hasMessageContaining("model.safetensors is not UTF-8 text");
        Path other = Files.writeString(tmp.resolve("other.csv"), "name,value\n");
        assertThatThrownBy(() -> EvalReport.readCsv(other)).hasMessageContaining("no 'file' column");
    }

    @Test
    void aSingleCommonFileHasNoStandardError() {
        PairedComparison.Row stoi = PairedComparison.of(RESULTS, "old", "codec2:700C").rows().get(0);
        assertThat(stoi.files()).isEqualTo(1);
        assertThat(stoi.difference()).isCloseTo(-0.1, within(1e-12));
        assertThat(stoi.standardError()).isNaN();
    }

    @Test
    void unknownOrIdenticalCodecsAndDisjointFilesAreClearErrors() throws Exception {
        assertThatThrownBy(() -> PairedComparison.of(RESULTS, "old", "v99"))
                .hasMessageContaining("no codec named 'v99'").hasMessageContaining("old, new, codec2:700C, a, b");
        assertThatThrownBy(() -> PairedComparison.of(RESULTS, "old", "old")).hasMessageContaining("the same codec");
        List<FileResult> disjoint = List.of(r("a.wav", "x", 0.5, 0.3, 0.1), r("b.wav", "y", 0.5, 0.3, 0.1));
        assertThatThrownBy(() -> PairedComparison.of(disjoint, "x", "y")).hasMessageContaining("no file in common");

        // through a report directory: the error names the results file
        EvalReport.write(tmp, RESULTS, List.of(), List.of());
        assertThat(PairedComparison.of(tmp, "old", "new").files()).isEqualTo(3);
        assertThatThrownBy(() -> PairedComparison.of(tmp, "old", "v99"))
                .hasMessageContaining(tmp.resolve("results.json").toString()).hasMessageContaining("no codec named 'v99'");
        // or through the results.csv a repository keeps: the same numbers
        Path csv = tmp.resolve("results.csv");
        assertThat(PairedComparison.of(csv, "old", "new").rows().get(0).difference()).isCloseTo(0.02 / 3, within(1e-6));
        assertThatThrownBy(() -> PairedComparison.of(tmp.resolve("nothing.csv"), "old", "new")).hasMessageContaining("nothing.csv");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> PairedComparison.of(empty, "old", "new")).hasMessageContaining("no results");
    }
}
