package io.parla.train.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The Markdown results table of a {@code scripts/stream-chain.sh} run: per stage the steps, wall time, training loss
 * (first step and mean of the last 25 steps) and the last validation row (student-vs-teacher feature distances,
 * stage loss, codebook use, STOI, mel distance).
 */
@Command(name = "chain-table", mixinStandardHelpOptions = true,
        description = "Markdown table of a stream-chain run directory (scripts/stream-chain.sh RUN_ROOT).")
public final class ChainTable implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "RUN_ROOT")
    Path root;

    /** Run sub-directory, its stage number in wall-seconds.txt, and its label. */
    private static final String[][] STAGES = {
            {"0-teacher", "0", "teacher (codec, full context)"},
            {"1-decoder", "1", "1 decoder (causal)"},
            {"ref-causal", "9", "(causal student before distillation)"},
            {"2-posemb", "2", "2 posemb"},
            {"3-encoder", "3", "3 encoder"},
            {"4-quantizer", "4", "4 quantizer"},
            {"5-joint", "5", "5 joint (+refiner)"}};

    public Integer call() throws IOException {
        System.out.print(table(root));
        return 0;
    }

    static String table(Path root) throws IOException {
        Map<Integer, Integer> wall = new HashMap<>();
        Path ws = root.resolve("wall-seconds.txt");
        if (Files.exists(ws))
            for (String line : Files.readAllLines(ws)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) wall.merge(Integer.parseInt(f[0]), Integer.parseInt(f[2]), Integer::sum);
            }
        StringBuilder b = new StringBuilder();
        b.append("| stage | steps | wall | train loss first → end | val stage loss | feat rel-L2 (MSE) | quantised feat rel-L2 "
                + "| tokens used / entropy | STOI | mel dist. |\n|---|---|---|---|---|---|---|---|---|---|\n");
        for (String[] st : STAGES) {
            List<Map<String, String>> m = csv(root.resolve(st[0]).resolve("metrics.csv"));
            if (m.isEmpty()) continue;
            List<Map<String, String>> v = csv(root.resolve(st[0]).resolve("val.csv"));
            Map<String, String> last = v.isEmpty() ? Map.of() : v.get(v.size() - 1);
            double first = num(m.get(0), "loss"), end = 0;
            int k = Math.min(25, m.size());
            for (int i = m.size() - k; i < m.size(); i++) end += num(m.get(i), "loss") / k;
            Integer w = wall.get(Integer.parseInt(st[1]));
            double distinct = num(last, "distinct_tokens");
            b.append(String.format(Locale.ROOT, "| %s | %d | %s | %s → %s | %s | %s (%s) | %s | %s | %s | %s |%n", st[2],
                    (long) num(m.get(m.size() - 1), "step"), w == null ? "–" : String.format(Locale.ROOT, "%d min %02d s", w / 60, w % 60),
                    fmt(first, 4), fmt(end, 4), fmt(num(last, "val_loss"), 4), fmt(num(last, "feat_rel_l2"), 3),
                    fmt(num(last, "feat_mse"), 3), fmt(num(last, "qfeat_rel_l2"), 3),
                    Double.isNaN(distinct) ? "–" : String.format(Locale.ROOT, "%d / %.2f bit", (long) distinct, num(last, "token_entropy_bits")),
                    fmt(num(last, "stoi"), 3), fmt(num(last, "mel_distance"), 3)));
        }
        int total = wall.values().stream().mapToInt(Integer::intValue).sum();
        b.append(String.format(Locale.ROOT, "%nTotal wall time of the training stages: %d min %02d s%n", total / 60, total % 60));
        return b.toString();
    }

    private static List<Map<String, String>> csv(Path p) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        if (!Files.exists(p)) return rows;
        List<String> lines = Files.readAllLines(p);
        if (lines.isEmpty()) return rows;
        String[] head = lines.get(0).split(",", -1);
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String[] f = lines.get(i).split(",", -1);
            Map<String, String> r = new LinkedHashMap<>();
            for (int c = 0; c < head.length && c < f.length; c++) r.put(head[c], f[c]);
            rows.add(r);
        }
        return rows;
    }

    private static double num(Map<String, String> r, String key) {
        String s = r.get(key);
        if (s == null || s.isBlank()) return Double.NaN;
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Like Python's {@code %.Ng}: N significant digits, no trailing zeros. */
    private static String fmt(double x, int digits) {
        if (Double.isNaN(x)) return "–";
        String s = new java.math.BigDecimal(x).round(new java.math.MathContext(digits)).stripTrailingZeros().toPlainString();
        return s.equals("-0") ? "0" : s;
    }
}
