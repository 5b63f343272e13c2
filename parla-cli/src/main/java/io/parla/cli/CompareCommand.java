package io.parla.cli;

import io.parla.core.json.Json;
import io.parla.eval.PairedComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true, description = {
        "Compare two codecs of an eval report file by file: mean per-file difference of every score with its standard error.",
        "On the same clips this resolves differences far smaller than the spread of the scores over clips."})
final class CompareCommand implements Callable<Integer> {
    @Option(names = "--report", paramLabel = "REPORT", defaultValue = "eval-report",
            description = "Report folder written by parla eval --out, or its results.csv (default ${DEFAULT-VALUE}).")
    Path report;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Parameters(index = "0", paramLabel = "BASELINE", description = "Codec name as in the report (its --name).")
    String baseline;

    @Parameters(index = "1", paramLabel = "CANDIDATE", description = "Codec name compared against the baseline.")
    String candidate;

    @Override
    public Integer call() throws Exception {
        PairedComparison.Comparison c = PairedComparison.of(report, baseline, candidate);
        if (!json) {
            System.out.print(c.table());
            return 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("baseline", c.baseline());
        out.put("candidate", c.candidate());
        out.put("files", c.files());
        List<Map<String, Object>> rows = c.rows().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("metric", r.metric());
            m.put("higher_is_better", r.higherIsBetter());
            m.put("files", r.files());
            m.put("baseline", r.baseline());
            m.put("candidate", r.candidate());
            m.put("difference", r.difference());
            m.put("standard_error", Double.isFinite(r.standardError()) ? r.standardError() : null);
            m.put("better", r.better());
            m.put("worse", r.worse());
            return m;
        }).toList();
        out.put("metrics", rows);
        System.out.println(Json.write(out, 2));
        return 0;
    }
}
