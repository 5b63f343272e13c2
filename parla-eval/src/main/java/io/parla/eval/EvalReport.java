package io.parla.eval;

import io.parla.core.json.Json;
import io.parla.core.json.JsonException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * Writes an evaluation report directory that accumulates codecs across runs:
 * <ul>
 *   <li>{@code results.json}: every result, failure and example so far (the file this class merges with);</li>
 *   <li>{@code results.csv}: one row per file and codec, columns
 *       {@code file,codec,bitrate_bps,stoi,estoi,si_sdr_db,mel_distance,delay_ms,f0_match,gpe} (later columns
 *       only ever appended, so a reader that takes the first ones by position keeps working);</li>
 *   <li>{@code index.html}: self-contained page (inline CSS, no scripts from elsewhere) with the summary
 *       table, a quality-vs-bitrate chart of every codec, spectrograms and audio of example files, the
 *       failures and the per-file table;</li>
 *   <li>{@code quality_vs_bitrate.png} and {@code assets/} (spectrogram PNGs, example WAVs).</li>
 * </ul>
 * Merging: a codec in the new batch replaces everything earlier recorded under the same codec name (its
 * results, failures and examples); other codecs are kept as they were.
 */
public final class EvalReport {
    public static final String RESULTS_JSON = "results.json";
    public static final String RESULTS_CSV = "results.csv";
    public static final String INDEX_HTML = "index.html";
    public static final String CHART_PNG = "quality_vs_bitrate.png";
    static final String FORMAT = "parla-eval-results";

    private EvalReport() {
    }

    /**
     * A file to show as spectrograms and audio: the reference and the decoded signal after alignment, both
     * at {@code rate} Hz.
     */
    public record Example(String codec, String file, float[] reference, float[] decoded, int rate) {
    }

    /** What a report directory holds after a write. */
    public record Report(Path directory, List<FileResult> results, List<FileFailure> failures, String summary) {
        public Path index() {
            return directory.resolve(INDEX_HTML);
        }
    }

    /** Stored description of an example: its assets, relative to the report directory. */
    record ExampleEntry(String codec, String file, String image, String originalAudio, String decodedAudio) {
    }

    /** Contents of {@code results.json}. */
    record Contents(List<FileResult> results, List<FileFailure> failures, List<ExampleEntry> examples) {
    }

    /**
     * Merges the batch into {@code dir} (created if needed) and rewrites every report file. Returns the
     * merged contents and the summary table.
     */
    public static Report write(Path dir, List<FileResult> results, List<FileFailure> failures, List<Example> examples)
            throws IOException {
        Files.createDirectories(dir.resolve("assets"));
        Set<String> batchCodecs = new LinkedHashSet<>();
        results.forEach(r -> batchCodecs.add(r.codec()));
        failures.forEach(f -> batchCodecs.add(f.codec()));
        examples.forEach(e -> batchCodecs.add(e.codec()));

        Contents old = read(dir);
        List<FileResult> allResults = new ArrayList<>();
        old.results().stream().filter(r -> !batchCodecs.contains(r.codec())).forEach(allResults::add);
        allResults.addAll(results);
        List<FileFailure> allFailures = new ArrayList<>();
        old.failures().stream().filter(f -> !batchCodecs.contains(f.codec())).forEach(allFailures::add);
        allFailures.addAll(failures);
        List<ExampleEntry> allExamples = new ArrayList<>();
        old.examples().stream().filter(e -> !batchCodecs.contains(e.codec())).forEach(allExamples::add);
        allExamples.addAll(writeExamples(dir, examples));
        removeStaleAssets(dir, old.examples(), allExamples);

        Contents merged = new Contents(allResults, allFailures, allExamples);
        Files.writeString(dir.resolve(RESULTS_JSON), toJson(merged), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(RESULTS_CSV), toCsv(allResults), StandardCharsets.UTF_8);
        List<String> codecs = codecOrder(allResults, allFailures);
        boolean chart = Plots.qualityVsBitrate(allResults, codecs, dir.resolve(CHART_PNG));
        if (!chart) Files.deleteIfExists(dir.resolve(CHART_PNG));
        Files.writeString(dir.resolve(INDEX_HTML), html(merged, codecs, chart), StandardCharsets.UTF_8);
        return new Report(dir, List.copyOf(allResults), List.copyOf(allFailures), summaryTable(allResults));
    }

    // ------------------------------------------------------------------ JSON

    /** Reads {@code results.json} of a report directory; empty contents when there is none. */
    static Contents read(Path dir) throws IOException {
        Path file = dir.resolve(RESULTS_JSON);
        if (!Files.exists(file)) return new Contents(List.of(), List.of(), List.of());
        try {
            Map<String, Object> root = Json.parseObject(Files.readString(file, StandardCharsets.UTF_8));
            if (!FORMAT.equals(root.get("format"))) throw new JsonException("'format' is not " + FORMAT);
            List<FileResult> results = new ArrayList<>();
            for (Map<String, Object> m : objects(root.get("results"))) {
                // reports written before the pitch scores lack f0_match and gpe: NaN, like any unknown value
                results.add(new FileResult(str(m, "file"), str(m, "codec"), num(m, "bitrate_bps"), num(m, "stoi"),
                        num(m, "estoi"), num(m, "si_sdr_db"), num(m, "mel_distance"), num(m, "delay_ms"),
                        num(m, "f0_match"), num(m, "gpe")));
            }
            List<FileFailure> failures = new ArrayList<>();
            for (Map<String, Object> m : objects(root.get("failures"))) {
                failures.add(new FileFailure(str(m, "file"), str(m, "codec"), str(m, "stage"), str(m, "reason")));
            }
            List<ExampleEntry> examples = new ArrayList<>();
            for (Map<String, Object> m : objects(root.get("examples"))) {
                examples.add(new ExampleEntry(str(m, "codec"), str(m, "file"), str(m, "image"),
                        str(m, "original_audio"), str(m, "decoded_audio")));
            }
            return new Contents(results, failures, examples);
        } catch (JsonException | ClassCastException e) {
            throw new IOException(file + " is not a parla-eval results file (" + e.getMessage()
                    + "); move it away or choose another report directory", e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> objects(Object v) {
        if (v == null) return List.of();
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<Object>) v) out.add((Map<String, Object>) o);
        return out;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v == null) throw new JsonException("missing '" + key + "'");
        return v.toString();
    }

    private static double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? Double.NaN : ((Number) v).doubleValue();
    }

    /** JSON number, or null for NaN and infinities (which JSON cannot hold). */
    private static Object jnum(double v) {
        return Double.isFinite(v) ? (Object) v : null;
    }

    static String toJson(Contents c) {
        Map<String, Object> root = object("format", FORMAT, "version", 1L);
        root.put("results", c.results().stream().map(r -> (Object) object("file", r.file(), "codec", r.codec(),
                "bitrate_bps", jnum(r.bitsPerSecond()), "stoi", jnum(r.stoi()), "estoi", jnum(r.estoi()),
                "si_sdr_db", jnum(r.siSdrDb()), "mel_distance", jnum(r.melDistance()), "delay_ms", jnum(r.delayMs()),
                "f0_match", jnum(r.f0Match()), "gpe", jnum(r.gpe()))).toList());
        root.put("failures", c.failures().stream().map(f -> (Object) object("file", f.file(), "codec", f.codec(),
                "stage", f.stage(), "reason", f.reason())).toList());
        root.put("examples", c.examples().stream().map(e -> (Object) object("codec", e.codec(), "file", e.file(),
                "image", e.image(), "original_audio", e.originalAudio(), "decoded_audio", e.decodedAudio())).toList());
        return Json.write(root, 1) + "\n";
    }

    /** An insertion-ordered JSON object from alternating keys and values. */
    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        return m;
    }

    // ------------------------------------------------------------------ CSV and summary

    /** RFC 4180 CSV with a header row; empty cells for unknown values. */
    public static String toCsv(List<FileResult> results) {
        StringBuilder b = new StringBuilder("file,codec,bitrate_bps,stoi,estoi,si_sdr_db,mel_distance,delay_ms,f0_match,gpe\n");
        for (FileResult r : results) {
            b.append(csvField(r.file())).append(',').append(csvField(r.codec())).append(',')
                    .append(fmt(r.bitsPerSecond(), 1)).append(',')
                    .append(fmt(r.stoi(), 6)).append(',').append(fmt(r.estoi(), 6)).append(',')
                    .append(fmt(r.siSdrDb(), 4)).append(',').append(fmt(r.melDistance(), 6)).append(',')
                    .append(fmt(r.delayMs(), 4)).append(',')
                    .append(fmt(r.f0Match(), 6)).append(',').append(fmt(r.gpe(), 6)).append('\n');
        }
        return b.toString();
    }

    /**
     * Reads the results of a {@code results.csv} (columns found by their header names, so files written before
     * the pitch scores read with NaN there, like unknown values).
     */
    public static List<FileResult> readCsv(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text, not a parla eval results.csv", e);
        }
        if (lines.isEmpty()) throw new IOException(file + " is empty, not a parla eval results.csv");
        List<String> header = csvRecord(lines.get(0));
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) col.put(header.get(i), i);
        for (String need : List.of("file", "codec", "stoi"))
            if (!col.containsKey(need)) throw new IOException(file + ": no '" + need + "' column; not a parla eval results.csv");
        List<FileResult> out = new ArrayList<>();
        for (int n = 1; n < lines.size(); n++) {
            if (lines.get(n).isBlank()) continue;
            List<String> f = csvRecord(lines.get(n));
            java.util.function.Function<String, Double> num = k -> {
                Integer i = col.get(k);
                if (i == null || i >= f.size() || f.get(i).isEmpty()) return Double.NaN;
                return Double.parseDouble(f.get(i));
            };
            try {
                out.add(new FileResult(f.get(col.get("file")), f.get(col.get("codec")), num.apply("bitrate_bps"),
                        num.apply("stoi"), num.apply("estoi"), num.apply("si_sdr_db"), num.apply("mel_distance"),
                        num.apply("delay_ms"), num.apply("f0_match"), num.apply("gpe")));
            } catch (RuntimeException e) { // a short row or a cell that is not a number
                throw new IOException(file + " line " + (n + 1) + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    /** One RFC 4180 record on one line (the fields this class writes hold no line breaks). */
    private static List<String> csvRecord(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c != '"') b.append(c);
                else if (i + 1 < line.length() && line.charAt(i + 1) == '"') b.append(line.charAt(++i));
                else quoted = false;
            } else if (c == '"') quoted = true;
            else if (c == ',') {
                fields.add(b.toString());
                b.setLength(0);
            } else b.append(c);
        }
        fields.add(b.toString());
        return fields;
    }

    private static String csvField(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String fmt(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "";
    }

    /** One codec's aggregate row. */
    record CodecSummary(String codec, int files, double bitsPerSecond, double[] stoi, double[] estoi,
                        double[] siSdr, double[] mel, double[] delay, double[] f0Match, double[] gpe) {
        static CodecSummary of(String codec, List<FileResult> rows) {
            return new CodecSummary(codec, rows.size(), Stats.mean(Stats.finite(rows, FileResult::bitsPerSecond)),
                    Stats.finite(rows, FileResult::stoi), Stats.finite(rows, FileResult::estoi),
                    Stats.finite(rows, FileResult::siSdrDb), Stats.finite(rows, FileResult::melDistance),
                    Stats.finite(rows, FileResult::delayMs), Stats.finite(rows, FileResult::f0Match),
                    Stats.finite(rows, FileResult::gpe));
        }
    }

    /** Codecs ordered by family name, then by mean bitrate (unknown last), then name. */
    static List<String> codecOrder(List<FileResult> results, List<FileFailure> failures) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.add(r.codec()));
        failures.forEach(f -> names.add(f.codec()));
        Map<String, Double> rate = new LinkedHashMap<>();
        for (String c : names) {
            double v = Stats.mean(Stats.finite(results.stream().filter(r -> r.codec().equals(c)).toList(), FileResult::bitsPerSecond));
            rate.put(c, Double.isNaN(v) ? Double.POSITIVE_INFINITY : v);
        }
        return names.stream().sorted(Comparator.comparing(Plots::family).thenComparing(rate::get)
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    static List<CodecSummary> summaries(List<FileResult> results) {
        List<CodecSummary> out = new ArrayList<>();
        for (String c : codecOrder(results, List.of())) {
            out.add(CodecSummary.of(c, results.stream().filter(r -> r.codec().equals(c)).toList()));
        }
        return out;
    }

    /**
     * Plain-text table, one line per codec: file count, mean bitrate, and mean / median of STOI, ESTOI,
     * SI-SDR and mel distance, plus the median delay, then mean / median of F0 match and GPE.
     */
    public static String summaryTable(List<FileResult> results) {
        List<CodecSummary> rows = summaries(results);
        int nameWidth = Math.max(5, rows.stream().mapToInt(r -> r.codec().length()).max().orElse(5));
        String line = "%-" + nameWidth + "s %5s %12s  %-15s  %-15s  %-17s  %-15s  %8s  %-17s  %-15s";
        String head = String.format(Locale.ROOT, line, "codec", "files", "bitrate", "STOI mean/med", "ESTOI mean/med",
                "SI-SDR dB mean/med", "mel mean/med", "delay ms", "F0 match mean/med", "GPE mean/med").stripTrailing();
        StringBuilder b = new StringBuilder(head).append('\n').append("-".repeat(head.length())).append('\n');
        for (CodecSummary s : rows) {
            b.append(String.format(Locale.ROOT, line,
                    s.codec(), s.files(), Bitrate.format(s.bitsPerSecond()),
                    pair(s.stoi(), 3), pair(s.estoi(), 3), pair(s.siSdr(), 1), pair(s.mel(), 3),
                    fmtOrNa(Stats.median(s.delay()), 1), pair(s.f0Match(), 3), pair(s.gpe(), 3)).stripTrailing()).append('\n');
        }
        return b.toString();
    }

    private static String pair(double[] sorted, int decimals) {
        return fmtOrNa(Stats.mean(sorted), decimals) + " / " + fmtOrNa(Stats.median(sorted), decimals);
    }

    private static String fmtOrNa(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%." + decimals + "f", v) : "n/a";
    }

    // ------------------------------------------------------------------ examples

    /** File-name-safe form of a codec or file name. */
    static String slug(String s) {
        String t = s.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^_+|_+$", "");
        return t.isEmpty() ? "x" : t;
    }

    private static List<ExampleEntry> writeExamples(Path dir, List<Example> examples) throws IOException {
        List<ExampleEntry> out = new ArrayList<>();
        Map<String, Integer> perCodec = new LinkedHashMap<>();
        for (Example e : examples) {
            int n = perCodec.merge(e.codec(), 1, Integer::sum);
            String base = "assets/" + slug(e.codec()) + "_" + n + "_" + slug(Path.of(e.file()).getFileName().toString());
            String image = base + ".png", orig = base + ".original.wav", dec = base + ".decoded.wav";
            Plots.spectrogramPair(e.reference(), e.decoded(), e.rate(), Path.of(e.file()).getFileName().toString(),
                    "decoded by " + e.codec() + " (aligned)", dir.resolve(image));
            Files.write(dir.resolve(orig), wav16(e.reference(), e.rate()));
            Files.write(dir.resolve(dec), wav16(e.decoded(), e.rate()));
            out.add(new ExampleEntry(e.codec(), e.file(), image, orig, dec));
        }
        return out;
    }

    private static void removeStaleAssets(Path dir, List<ExampleEntry> before, List<ExampleEntry> now) throws IOException {
        Set<String> keep = new HashSet<>();
        for (ExampleEntry e : now) keep.addAll(List.of(e.image(), e.originalAudio(), e.decodedAudio()));
        for (ExampleEntry e : before) {
            for (String f : List.of(e.image(), e.originalAudio(), e.decodedAudio())) {
                if (!keep.contains(f) && f.startsWith("assets/") && !f.contains("..")) Files.deleteIfExists(dir.resolve(f));
            }
        }
    }

    /** Mono 16-bit PCM WAV bytes, for the report's audio players. */
    static byte[] wav16(float[] x, int rate) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + 2 * x.length).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * x.length);
        b.put(ExternalCodec.Pcm.toS16le(x));
        return b.array();
    }

    // ------------------------------------------------------------------ HTML

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Light background tint from red (t = 0) to green (t = 1). */
    private static String tint(double t) {
        if (!Double.isFinite(t)) return "";
        double c = Math.max(0, Math.min(1, t));
        return String.format(Locale.ROOT, " style=\"background:hsl(%.0f,65%%,86%%)\"", 120 * c);
    }

    private record Column(String title, ToDoubleFunction<CodecSummary> mean, ToDoubleFunction<CodecSummary> median,
                          int decimals, boolean higherIsBetter, double bad, double good) {
    }

    private static final List<Column> COLUMNS = List.of(
            new Column("STOI", s -> Stats.mean(s.stoi()), s -> Stats.median(s.stoi()), 3, true, 0.5, 1.0),
            new Column("ESTOI", s -> Stats.mean(s.estoi()), s -> Stats.median(s.estoi()), 3, true, 0.3, 1.0),
            new Column("SI-SDR (dB)", s -> Stats.mean(s.siSdr()), s -> Stats.median(s.siSdr()), 1, true, -10, 20),
            new Column("mel distance", s -> Stats.mean(s.mel()), s -> Stats.median(s.mel()), 3, false, 1.2, 0.1),
            new Column("F0 match", s -> Stats.mean(s.f0Match()), s -> Stats.median(s.f0Match()), 3, true, 0.3, 1.0),
            new Column("GPE", s -> Stats.mean(s.gpe()), s -> Stats.median(s.gpe()), 3, false, 0.5, 0.0));

    static String html(Contents c, List<String> codecs, boolean chart) {
        List<CodecSummary> sums = summaries(c.results());
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Parla codec evaluation</title>\n<style>\n").append(CSS).append("</style></head><body>\n");
        h.append("<header><h1>Parla codec evaluation</h1><p class=\"sub\">")
                .append(codecs.size()).append(codecs.size() == 1 ? " codec, " : " codecs, ")
                .append(c.results().size()).append(" scored file").append(c.results().size() == 1 ? "" : "s");
        if (!c.failures().isEmpty()) h.append(", ").append(c.failures().size()).append(" failed");
        h.append(" &middot; updated ").append(esc(ZonedDateTime.now().format(DateTimeFormatter.RFC_1123_DATE_TIME)))
                .append("</p></header>\n<main>\n");

        h.append("<section><h2>Summary</h2><p class=\"note\">Mean over files (median below). Best value per column in bold. "
                + "Delay is the codec latency removed before scoring.</p>\n<table class=\"summary\"><thead><tr>"
                + "<th>codec</th><th>files</th><th>bitrate</th>");
        for (Column col : COLUMNS) h.append("<th>").append(esc(col.title())).append(col.higherIsBetter() ? " &uarr;" : " &darr;").append("</th>");
        h.append("<th>delay (ms)</th></tr></thead><tbody>\n");
        for (CodecSummary s : sums) {
            h.append("<tr><td class=\"codec\">").append(esc(s.codec())).append("</td><td>").append(s.files())
                    .append("</td><td>").append(esc(Bitrate.format(s.bitsPerSecond()))).append("</td>");
            for (Column col : COLUMNS) {
                double v = col.mean().applyAsDouble(s);
                double best = sums.stream().mapToDouble(col.mean()).filter(Double::isFinite)
                        .reduce(col.higherIsBetter() ? Math::max : Math::min).orElse(Double.NaN);
                boolean isBest = sums.size() > 1 && v == best;
                h.append("<td").append(tint((v - col.bad()) / (col.good() - col.bad()))).append(">")
                        .append(isBest ? "<b>" : "").append(fmtOrNa(v, col.decimals())).append(isBest ? "</b>" : "")
                        .append("<span class=\"med\">").append(fmtOrNa(col.median().applyAsDouble(s), col.decimals())).append("</span></td>");
            }
            h.append("<td>").append(fmtOrNa(Stats.median(s.delay()), 1)).append("</td></tr>\n");
        }
        h.append("</tbody></table></section>\n");

        if (chart) {
            h.append("<section><h2>Quality vs bitrate</h2><p class=\"note\">One marker per codec (mean), bar from first to third "
                    + "quartile, faint dots for the files; codecs of one family are joined.</p>"
                    + "<img class=\"chart\" src=\"").append(CHART_PNG).append("\" alt=\"quality versus bitrate\"></section>\n");
        }

        if (!c.examples().isEmpty()) {
            h.append("<section><h2>Spectrograms</h2><p class=\"note\">Log magnitude, 80 dB range, original above decoded "
                    + "(aligned). Listen with the players.</p>\n");
            for (String codec : codecs) {
                List<ExampleEntry> ex = c.examples().stream().filter(e -> e.codec().equals(codec)).toList();
                if (ex.isEmpty()) continue;
                h.append("<h3>").append(esc(codec)).append("</h3>\n");
                for (ExampleEntry e : ex) {
                    h.append("<figure><figcaption>").append(esc(e.file()));
                    c.results().stream().filter(r -> r.codec().equals(codec) && r.file().equals(e.file())).findFirst()
                            .ifPresent(r -> h.append(String.format(Locale.ROOT,
                                    " &middot; STOI %.3f &middot; ESTOI %.3f &middot; SI-SDR %.1f dB &middot; mel %.3f"
                                            + " &middot; F0 match %s &middot; GPE %s",
                                    r.stoi(), r.estoi(), r.siSdrDb(), r.melDistance(),
                                    fmtOrNa(r.f0Match(), 3), fmtOrNa(r.gpe(), 3))));
                    h.append("</figcaption><img src=\"").append(esc(e.image())).append("\" alt=\"spectrograms\">")
                            .append("<div class=\"audio\"><label>original <audio controls preload=\"none\" src=\"")
                            .append(esc(e.originalAudio())).append("\"></audio></label><label>decoded <audio controls preload=\"none\" src=\"")
                            .append(esc(e.decodedAudio())).append("\"></audio></label></div></figure>\n");
                }
            }
            h.append("</section>\n");
        }

        if (!c.failures().isEmpty()) {
            h.append("<section><h2>Failed files</h2><table class=\"failures\"><thead><tr><th>codec</th><th>file</th><th>stage</th><th>reason</th>"
                    + "</tr></thead><tbody>\n");
            for (FileFailure f : c.failures()) {
                h.append("<tr class=\"fail\"><td>").append(esc(f.codec())).append("</td><td>").append(esc(f.file()))
                        .append("</td><td>").append(esc(f.stage())).append("</td><td>").append(esc(f.reason())).append("</td></tr>\n");
            }
            h.append("</tbody></table></section>\n");
        }

        h.append("<section><h2>All files</h2><p class=\"note\">Click a column title to sort.</p>"
                + "<table id=\"files\" class=\"sortable\"><thead><tr><th>codec</th><th>file</th><th>bitrate (bit/s)</th>"
                + "<th>STOI</th><th>ESTOI</th><th>SI-SDR (dB)</th><th>mel distance</th><th>delay (ms)</th>"
                + "<th>F0 match</th><th>GPE</th></tr></thead><tbody>\n");
        for (String codec : codecs) {
            for (FileResult r : c.results()) {
                if (!r.codec().equals(codec)) continue;
                h.append("<tr><td>").append(esc(r.codec())).append("</td><td>").append(esc(r.file())).append("</td><td>")
                        .append(fmt(r.bitsPerSecond(), 0)).append("</td><td>").append(fmt(r.stoi(), 4)).append("</td><td>")
                        .append(fmt(r.estoi(), 4)).append("</td><td>").append(fmt(r.siSdrDb(), 2)).append("</td><td>")
                        .append(fmt(r.melDistance(), 4)).append("</td><td>").append(fmt(r.delayMs(), 2)).append("</td><td>")
                        .append(fmt(r.f0Match(), 4)).append("</td><td>").append(fmt(r.gpe(), 4)).append("</td></tr>\n");
            }
        }
        h.append("</tbody></table></section>\n");
        h.append("<section class=\"defs\"><h2>Metrics</h2><dl>"
                + "<dt>STOI</dt><dd>Short-Time Objective Intelligibility (Taal et al. 2011), 0 to 1, higher is better; "
                + "computed at 10 kHz on one-third-octave band envelopes of 384 ms segments.</dd>"
                + "<dt>ESTOI</dt><dd>Extended STOI (Jensen and Taal 2016), also sensitive to spectral correlation across bands.</dd>"
                + "<dt>SI-SDR</dt><dd>Scale-invariant signal-to-distortion ratio in dB (Le Roux et al. 2019); waveform-exact, so "
                + "parametric and neural codecs score low even when they sound good.</dd>"
                + "<dt>mel distance</dt><dd>Mean absolute difference of log10 mel spectrograms (80 HTK mels, 1024-point "
                + "frames, hop 256 at 16 kHz); 0 is identical, lower is better.</dd>"
                + "<dt>F0 match</dt><dd>Share of the reference's voiced 20 ms frames in which the decoded signal is voiced "
                + "and its pitch is within 50 cents (half a semitone) of the reference's; 1 is best. Normalised "
                + "autocorrelation pitch tracker, 50 to 400 Hz; n/a when the reference has no voiced frame.</dd>"
                + "<dt>GPE</dt><dd>Gross pitch error: among the frames voiced in both signals, the share whose pitch differs "
                + "by more than 20 %; 0 is best. Unvoiced output does not count here (F0 match shows it); n/a when no frame "
                + "is voiced in both.</dd>"
                + "<dt>delay</dt><dd>Lag found by cross-correlation (&plusmn;250 ms) and removed before scoring.</dd></dl></section>\n");
        h.append("</main>\n<script>\n").append(SORT_SCRIPT).append("</script>\n</body></html>\n");
        return h.toString();
    }

    private static final String CSS = """
            body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;margin:0;color:#22272b;background:#f6f7f9}
            header{background:#1f2a36;color:#fff;padding:22px 32px}
            header h1{margin:0;font-size:24px;font-weight:600}
            .sub{margin:4px 0 0;color:#b9c4cf}
            main{max-width:1320px;margin:0 auto;padding:8px 28px 40px}
            section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px 22px;margin:20px 0}
            h2{font-size:18px;margin:4px 0 10px}
            h3{font-size:15px;margin:18px 0 6px;color:#1f5fa8}
            .note{color:#667;margin:0 0 10px;font-size:13px}
            table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
            th,td{padding:6px 10px;border-bottom:1px solid #e6e8eb;text-align:right;white-space:nowrap}
            th{background:#f0f2f5;font-weight:600;text-align:right}
            th:first-child,td:first-child,#files th:nth-child(2),#files td:nth-child(2){text-align:left}
            table.failures th,table.failures td{text-align:left}
            table.summary td{font-size:15px}
            td.codec{font-weight:600}
            .med{display:block;font-size:11px;color:#667}
            tr.fail td{color:#a02525;white-space:normal}
            img.chart{width:100%;max-width:1280px;display:block}
            figure{margin:10px 0 22px}
            figure img{max-width:100%;display:block;border:1px solid #e6e8eb}
            figcaption{font-size:13px;color:#444;margin-bottom:4px}
            .audio{display:flex;gap:24px;flex-wrap:wrap;margin-top:6px;font-size:13px;color:#555}
            .audio label{display:flex;align-items:center;gap:8px}
            table.sortable th{cursor:pointer;user-select:none}
            table.sortable th:hover{background:#e3e7ec}
            .defs dt{font-weight:600;margin-top:6px}
            .defs dd{margin:0 0 0 16px;color:#444}
            """;

    private static final String SORT_SCRIPT = """
            document.querySelectorAll('table.sortable').forEach(function(t){
              t.querySelectorAll('th').forEach(function(th,i){
                th.addEventListener('click',function(){
                  var body=t.tBodies[0],rows=Array.from(body.rows),asc=th.dataset.asc!=='1';
                  t.querySelectorAll('th').forEach(function(o){delete o.dataset.asc;});
                  if(asc)th.dataset.asc='1';
                  rows.sort(function(a,b){
                    var x=a.cells[i].textContent,y=b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);
                    var r=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);
                    return asc?r:-r;});
                  rows.forEach(function(r){body.appendChild(r);});
                });});});
            """;
}
