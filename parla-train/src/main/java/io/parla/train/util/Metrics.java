package io.parla.train.util;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Appends rows to a CSV file (header written once) and renders PNG curves of its columns. */
public final class Metrics {
    private final Path csv;
    private List<String> columns;

    public Metrics(Path csv) throws IOException {
        this.csv = csv;
        if (Files.exists(csv)) {
            List<String> lines = Files.readAllLines(csv);
            if (!lines.isEmpty()) columns = List.of(lines.get(0).split(","));
        }
    }

    public Path file() { return csv; }

    /** Drops rows with step > {@code step} (after resuming from an older checkpoint). */
    public void truncateAfter(long step) throws IOException {
        if (!Files.exists(csv)) return;
        List<String> keep = new ArrayList<>();
        for (String line : Files.readAllLines(csv)) {
            String first = line.split(",", 2)[0];
            if (keep.isEmpty() || Long.parseLong(first) <= step) keep.add(line);
        }
        Files.write(csv, keep);
    }

    public synchronized void append(Map<String, Double> row) throws IOException {
        if (columns == null) {
            columns = new ArrayList<>(row.keySet());
            Files.writeString(csv, String.join(",", columns) + "\n");
        } else if (!columns.containsAll(row.keySet())) {
            // a new column (e.g. a loss term added on resume): extend the header, earlier rows get blanks
            List<String> cols = new ArrayList<>(columns);
            for (String k : row.keySet()) if (!cols.contains(k)) cols.add(k);
            List<String> lines = Files.readAllLines(csv);
            StringBuilder b = new StringBuilder(String.join(",", cols)).append('\n');
            for (String line : lines.subList(1, lines.size()))
                b.append(line).append(",".repeat(cols.size() - columns.size())).append('\n');
            Files.writeString(csv, b.toString());
            columns = cols;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) b.append(',');
            Double v = row.get(columns.get(i));
            if (v != null) b.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue()) : String.format("%.6g", v));
        }
        Files.writeString(csv, b.append('\n').toString(), StandardOpenOption.APPEND);
    }

    /** Reads the CSV back as columns. */
    public Map<String, List<Double>> read() throws IOException {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        if (!Files.exists(csv)) return out;
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty()) return out;
        String[] head = lines.get(0).split(",");
        for (String h : head) out.put(h, new ArrayList<>());
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            for (int i = 0; i < head.length; i++)
                out.get(head[i]).add(i < f.length && !f[i].isEmpty() ? Double.parseDouble(f[i]) : Double.NaN);
        }
        return out;
    }

    /** Plots {@code ys} against the "step" column, smoothed with an exponential moving average. */
    public void plot(Path png, String title, List<String> ys, double ema, boolean logY) throws IOException {
        Map<String, List<Double>> d = read();
        List<Double> x = d.get("step");
        if (x == null || x.size() < 2) return;
        XYChart c = new XYChartBuilder().width(900).height(500).title(title).xAxisTitle("step").build();
        c.getStyler().setYAxisLogarithmic(logY);
        c.getStyler().setMarkerSize(0);
        for (String y : ys) {
            List<Double> v = d.get(y);
            if (v == null) continue;
            List<Double> xs = new ArrayList<>(), vs = new ArrayList<>();
            double s = Double.NaN;
            for (int i = 0; i < v.size(); i++) {
                double a = v.get(i);
                if (!Double.isFinite(a) || (logY && a <= 0)) continue;
                s = Double.isNaN(s) ? a : ema * s + (1 - ema) * a;
                xs.add(x.get(i));
                vs.add(s);
            }
            if (xs.size() >= 2) c.addSeries(y, xs, vs);
        }
        if (c.getSeriesMap().isEmpty()) return;
        Path tmp = png.resolveSibling(png.getFileName() + ".part.png");
        BitmapEncoder.saveBitmap(c, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
