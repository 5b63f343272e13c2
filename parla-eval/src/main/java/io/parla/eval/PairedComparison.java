package io.parla.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Two codecs of one report compared file by file. Differences between speech codecs a few thousandths of STOI
 * apart are invisible in two means whose spread over files is a hundred times larger; on the same files the
 * per-file difference has a far smaller spread, so its mean and standard error say whether one codec is better.
 */
public final class PairedComparison {
    private PairedComparison() {
    }

    /**
     * One metric over the files both codecs scored (and both gave a finite value): the means, the mean of
     * {@code candidate - baseline} with its standard error (NaN below two files), and on how many files the
     * candidate was better or worse.
     */
    public record Row(String metric, boolean higherIsBetter, int decimals, int files, double baseline, double candidate,
                      double difference, double standardError, int better, int worse) {
    }

    /** The comparison of {@code candidate} against {@code baseline}. */
    public record Comparison(String baseline, String candidate, int files, List<Row> rows) {
        /** A plain-text table, one row per metric. */
        public String table() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "%s against %s on %d files (per file: candidate - baseline, mean +- standard error)%n",
                    candidate, baseline, files));
            b.append(String.format(Locale.ROOT, "%-13s %10s %10s %22s %8s %8s%n", "metric", "baseline", "candidate", "difference",
                    "better", "worse"));
            for (Row r : rows) {
                String d = r.decimals() + 1 + "";
                b.append(String.format(Locale.ROOT, "%-13s %10." + r.decimals() + "f %10." + r.decimals() + "f %+11." + d + "f +- %7." + d + "f %8d %8d%n",
                        r.metric() + (r.higherIsBetter() ? " ^" : " v"), r.baseline(), r.candidate(), r.difference(),
                        r.standardError(), r.better(), r.worse()));
            }
            b.append("(^ higher is better, v lower is better; better/worse count files, ties in neither)\n");
            return b.toString();
        }
    }

    /**
     * Compares two codecs recorded in {@code report}: a report directory ({@code results.json}) or a
     * {@code results.csv} file (what a repository keeps of a report).
     */
    public static Comparison of(Path report, String baseline, String candidate) throws IOException {
        boolean dir = Files.isDirectory(report);
        if (!dir && !Files.isRegularFile(report)) throw new java.nio.file.NoSuchFileException(report + " (no such report directory or results.csv)");
        Path file = dir ? report.resolve(EvalReport.RESULTS_JSON) : report;
        List<FileResult> results = dir ? EvalReport.read(report).results() : EvalReport.readCsv(report);
        if (results.isEmpty())
            throw new IllegalArgumentException(file + ": no results (run parla eval --out " + report + " first)");
        try {
            return of(results, baseline, candidate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    /** Compares two codecs among {@code results}, pairing their rows by file. */
    public static Comparison of(List<FileResult> results, String baseline, String candidate) {
        if (baseline.equals(candidate)) throw new IllegalArgumentException("baseline and candidate are the same codec, " + baseline);
        Map<String, FileResult> base = byFile(results, baseline), cand = byFile(results, candidate);
        List<String> files = new ArrayList<>(base.keySet());
        files.retainAll(cand.keySet());
        if (files.isEmpty())
            throw new IllegalArgumentException(baseline + " and " + candidate + " scored no file in common");
        List<Row> rows = new ArrayList<>();
        for (Score m : Score.values()) {
            List<double[]> pairs = new ArrayList<>();
            for (String f : files) {
                double x = m.of(base.get(f)), y = m.of(cand.get(f));
                if (Double.isFinite(x) && Double.isFinite(y)) pairs.add(new double[] {x, y});
            }
            if (pairs.isEmpty()) continue; // e.g. pitch scores of a report written before they existed
            rows.add(row(m, pairs));
        }
        return new Comparison(baseline, candidate, files.size(), List.copyOf(rows));
    }

    private static Row row(Score m, List<double[]> pairs) {
        int n = pairs.size(), better = 0, worse = 0;
        double sx = 0, sy = 0, sd = 0;
        for (double[] p : pairs) {
            sx += p[0];
            sy += p[1];
            sd += p[1] - p[0];
            double gain = m.higherIsBetter() ? p[1] - p[0] : p[0] - p[1];
            if (gain > 0) better++;
            else if (gain < 0) worse++;
        }
        double mean = sd / n, ss = 0;
        for (double[] p : pairs) ss += (p[1] - p[0] - mean) * (p[1] - p[0] - mean);
        double se = n < 2 ? Double.NaN : Math.sqrt(ss / (n - 1) / n);
        return new Row(m.label(), m.higherIsBetter(), m.decimals(), n, sx / n, sy / n, mean, se, better, worse);
    }

    private static Map<String, FileResult> byFile(List<FileResult> results, String codec) {
        Map<String, FileResult> out = new LinkedHashMap<>();
        for (FileResult r : results) if (r.codec().equals(codec)) out.put(r.file(), r);
        if (out.isEmpty()) {
            Set<String> known = new LinkedHashSet<>();
            results.forEach(r -> known.add(r.codec()));
            throw new IllegalArgumentException("no codec named '" + codec + "' (the report has: " + String.join(", ", known) + ")");
        }
        return out;
    }
}
