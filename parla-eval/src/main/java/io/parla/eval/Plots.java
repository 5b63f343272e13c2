package io.parla.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/** PNG charts drawn with plain java.awt (headless): quality-vs-bitrate panels and spectrograms. */
final class Plots {
    static {
        if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {
        new Color(0x1f5fa8), new Color(0xe0662b), new Color(0x2e9d4b), new Color(0xc7323a), new Color(0x7b52ab),
        new Color(0x8c5a3c), new Color(0xd45aa8), new Color(0x6b6b6b), new Color(0xa8a020), new Color(0x1aa3b8)
    };
    private static final Color GRID = new Color(0xe6e8eb);
    private static final Color AXIS = new Color(0x3a3f44);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Plots() {
    }

    /** Codec family: the part of the name before ':' ({@code opus:6} -> {@code opus}). */
    static String family(String codec) {
        int c = codec.indexOf(':');
        return c < 0 ? codec : codec.substring(0, c);
    }

    /** A stable colour per family, in order of first appearance. */
    static Map<String, Color> familyColours(List<String> codecs) {
        Map<String, Color> m = new LinkedHashMap<>();
        for (String c : codecs) m.computeIfAbsent(family(c), f -> PALETTE[m.size() % PALETTE.length]);
        return m;
    }

    /** A chart panel; the axis never extends past {@code [floor, ceiling]}, the metric's possible range. */
    private record Metric(Score score, String title, String unit, double floor, double ceiling) {
        ToDoubleFunction<FileResult> value() { return score::of; }

        boolean higherIsBetter() { return score.higherIsBetter(); }
    }

    private static final List<Metric> METRICS = List.of(
            new Metric(Score.STOI, "STOI", "", -1, 1),
            new Metric(Score.ESTOI, "ESTOI", "", -1, 1),
            new Metric(Score.SI_SDR, "SI-SDR", "dB", Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY),
            new Metric(Score.MEL_DISTANCE, "Log-mel distance", "", 0, Double.POSITIVE_INFINITY),
            new Metric(Score.F0_MATCH, "F0 match", "", 0, 1),
            new Metric(Score.GPE, "Gross pitch error", "", 0, 1));

    /**
     * Six panels (STOI, ESTOI, SI-SDR, mel distance, F0 match, GPE) against bitrate on a log axis: one marker
     * per codec at its mean bitrate and mean score with an interquartile bar, faint dots for the files, codecs
     * of one family joined in bitrate order. Codecs without a bitrate are left out. Returns false (and writes
     * nothing) when no codec has a bitrate.
     */
    static boolean qualityVsBitrate(List<FileResult> results, List<String> codecs, Path png) throws IOException {
        List<String> plotted = codecs.stream()
                .filter(c -> Double.isFinite(Stats.mean(Stats.finite(rowsOf(results, c), FileResult::bitsPerSecond))))
                .toList();
        if (plotted.isEmpty()) return false;
        int w = 1500, h = 900, columns = 3;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        Map<String, Color> colours = familyColours(codecs);
        int top = drawLegend(g, colours, plotted, 20, 12, w - 40) + 18, pw = (w - 30) / columns, ph = (h - top - 10) / 2;
        for (int i = 0; i < METRICS.size(); i++) {
            Rectangle r = new Rectangle(15 + (i % columns) * pw, top + (i / columns) * ph, pw, ph);
            drawMetricPanel(g, r, METRICS.get(i), results, plotted, colours);
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
        return true;
    }

    private static List<FileResult> rowsOf(List<FileResult> results, String codec) {
        return results.stream().filter(r -> r.codec().equals(codec)).toList();
    }

    private static Graphics2D canvas(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** Draws the legend, wrapping onto more lines when it is wider than {@code width}; returns its bottom. */
    private static int drawLegend(Graphics2D g, Map<String, Color> colours, List<String> plotted, int x, int y, int width) {
        g.setFont(LABEL);
        FontMetrics fm = g.getFontMetrics();
        int cx = x;
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            if (plotted.stream().noneMatch(c -> family(c).equals(e.getKey()))) continue;
            int tw = fm.stringWidth(e.getKey());
            if (cx > x && cx + 40 + tw > x + width) {
                cx = x;
                y += 22;
            }
            g.setColor(e.getValue());
            g.setStroke(new BasicStroke(2.5f));
            g.draw(new Line2D.Double(cx, y + 12, cx + 22, y + 12));
            g.fill(new Ellipse2D.Double(cx + 7, y + 8, 8, 8));
            g.setColor(AXIS);
            g.drawString(e.getKey(), cx + 28, y + 16);
            cx += 28 + tw + 24;
        }
        return y + 18;
    }

    private static void drawMetricPanel(Graphics2D g, Rectangle r, Metric m, List<FileResult> results,
                                        List<String> plotted, Map<String, Color> colours) {
        // data: per codec mean bitrate (kbit/s), mean/quartiles of the metric
        record Point(String codec, double kbps, double mean, double q1, double q3, double[] all) {
        }
        List<Point> points = new ArrayList<>();
        for (String c : plotted) {
            List<FileResult> rows = rowsOf(results, c);
            double kbps = Stats.mean(Stats.finite(rows, FileResult::bitsPerSecond)) / 1000;
            double[] v = Stats.finite(rows, m.value());
            if (v.length == 0) continue;
            points.add(new Point(c, kbps, Stats.mean(v), Stats.quantile(v, 0.25), Stats.quantile(v, 0.75), v));
        }
        Rectangle plot = new Rectangle(r.x + 62, r.y + 34, r.width - 92, r.height - 84);
        g.setColor(AXIS);
        g.setFont(TITLE);
        String arrow = m.higherIsBetter() ? "  (higher is better)" : "  (lower is better)";
        g.drawString(m.title() + (m.unit().isEmpty() ? "" : " [" + m.unit() + "]"), plot.x, r.y + 20);
        g.setFont(LABEL);
        g.setColor(new Color(0x80868b));
        g.drawString(arrow.strip(), plot.x + g.getFontMetrics(TITLE).stringWidth(m.title() + (m.unit().isEmpty() ? "" : " [" + m.unit() + "]")) + 10, r.y + 20);
        if (points.isEmpty()) {
            g.drawString("no values", plot.x + 10, plot.y + 20);
            return;
        }
        double xMin = points.stream().mapToDouble(Point::kbps).min().orElse(1);
        double xMax = points.stream().mapToDouble(Point::kbps).max().orElse(1);
        double lx0 = Math.log10(xMin / 1.5), lx1 = Math.log10(xMax * 1.5);
        double yMin = points.stream().mapToDouble(p -> p.all()[0]).min().orElse(0);
        double yMax = points.stream().mapToDouble(p -> p.all()[p.all().length - 1]).max().orElse(1);
        double pad = 0.04 * Math.max(yMax - yMin, 1e-3);
        double[] ticks = niceTicks(Math.max(m.floor(), yMin - pad), Math.min(m.ceiling(), yMax + pad), 6);
        double y0 = Math.max(m.floor(), ticks[0]), y1 = Math.min(m.ceiling(), ticks[ticks.length - 1]);
        ToDoubleFunction<Double> px = k -> plot.x + (Math.log10(k) - lx0) / (lx1 - lx0) * plot.width;
        ToDoubleFunction<Double> py = v -> plot.y + plot.height - (v - y0) / (y1 - y0) * plot.height;

        g.setFont(SMALL);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        for (double t : ticks) {
            if (t < y0 - 1e-12 || t > y1 + 1e-12) continue;
            double yy = py.applyAsDouble(t);
            g.setColor(GRID);
            g.draw(new Line2D.Double(plot.x, yy, plot.x + plot.width, yy));
            g.setColor(AXIS);
            String s = formatTick(t, ticks);
            g.drawString(s, plot.x - 6 - fm.stringWidth(s), (float) yy + 4);
        }
        for (double t : logTicks(Math.pow(10, lx0), Math.pow(10, lx1))) {
            double xx = px.applyAsDouble(t);
            g.setColor(GRID);
            g.draw(new Line2D.Double(xx, plot.y, xx, plot.y + plot.height));
            g.setColor(AXIS);
            String s = trimNumber(t);
            g.drawString(s, (float) xx - fm.stringWidth(s) / 2f, plot.y + plot.height + 15);
        }
        g.setColor(AXIS);
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        g.setFont(LABEL);
        String xl = "bitrate [kbit/s, log scale]";
        g.drawString(xl, plot.x + plot.width / 2f - g.getFontMetrics().stringWidth(xl) / 2f, plot.y + plot.height + 34);

        // per-file dots
        for (Point p : points) {
            Color c = colours.get(family(p.codec()));
            g.setColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 60));
            double xx = px.applyAsDouble(p.kbps());
            for (double v : p.all()) g.fill(new Ellipse2D.Double(xx - 2.5, py.applyAsDouble(v) - 2.5, 5, 5));
        }
        // family lines
        for (Map.Entry<String, Color> e : colours.entrySet()) {
            List<Point> fam = points.stream().filter(p -> family(p.codec()).equals(e.getKey()))
                    .sorted(Comparator.comparingDouble(Point::kbps)).toList();
            g.setColor(e.getValue());
            g.setStroke(new BasicStroke(2.2f));
            for (int i = 1; i < fam.size(); i++) {
                g.draw(new Line2D.Double(px.applyAsDouble(fam.get(i - 1).kbps()), py.applyAsDouble(fam.get(i - 1).mean()),
                        px.applyAsDouble(fam.get(i).kbps()), py.applyAsDouble(fam.get(i).mean())));
            }
        }
        // markers, quartile bars, labels
        g.setFont(SMALL);
        for (Point p : points) {
            Color c = colours.get(family(p.codec()));
            double xx = px.applyAsDouble(p.kbps()), yy = py.applyAsDouble(p.mean());
            g.setColor(c);
            g.setStroke(new BasicStroke(1.5f));
            g.draw(new Line2D.Double(xx, py.applyAsDouble(p.q1()), xx, py.applyAsDouble(p.q3())));
            g.fill(new Ellipse2D.Double(xx - 5, yy - 5, 10, 10));
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(1.2f));
            g.draw(new Ellipse2D.Double(xx - 5, yy - 5, 10, 10));
            g.setColor(AXIS);
            String label = p.codec().contains(":") ? p.codec().substring(p.codec().indexOf(':') + 1) : p.codec();
            boolean nearTop = yy - 18 < plot.y;
            g.drawString(label, (float) xx + 8, (float) (nearTop ? yy + 16 : yy - 6));
        }
    }

    /** About {@code count} round tick values covering [lo, hi]. */
    static double[] niceTicks(double lo, double hi, int count) {
        if (!(hi > lo)) {
            double pad = Math.max(Math.abs(lo) * 0.1, 0.05);
            lo -= pad;
            hi += pad;
        }
        double raw = (hi - lo) / Math.max(1, count - 1);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / mag < 1.5 ? mag : raw / mag < 3 ? 2 * mag : raw / mag < 7 ? 5 * mag : 10 * mag;
        double start = Math.floor(lo / step) * step;
        double end = Math.ceil(hi / step) * step;
        int n = (int) Math.round((end - start) / step) + 1;
        double[] t = new double[n];
        for (int i = 0; i < n; i++) t[i] = start + i * step;
        return t;
    }

    private static String formatTick(double v, double[] ticks) {
        double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
        int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", Math.abs(v) < step * 1e-6 ? 0.0 : v);
    }

    /** 1-2-5 ticks per decade within [lo, hi]. */
    static List<Double> logTicks(double lo, double hi) {
        List<Double> t = new ArrayList<>();
        for (int e = (int) Math.floor(Math.log10(lo)); e <= (int) Math.ceil(Math.log10(hi)); e++) {
            for (double m : new double[] {1, 2, 5}) {
                double v = m * Math.pow(10, e);
                if (v >= lo && v <= hi) t.add(v);
            }
        }
        return t;
    }

    private static String trimNumber(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v).replaceAll("0+$", "");
    }

    // ------------------------------------------------------------------ spectrograms

    private static final int SPEC_FFT = 512;
    private static final int SPEC_HOP = 128;
    private static final double SPEC_RANGE_DB = 80;
    private static final double[] SPEC_WINDOW = new double[SPEC_FFT];
    private static final int[] COLOUR_LUT = new int[256];

    static {
        for (int n = 0; n < SPEC_FFT; n++) SPEC_WINDOW[n] = 0.5 - 0.5 * Math.cos(2 * Math.PI * n / SPEC_FFT);
        for (int i = 0; i < COLOUR_LUT.length; i++) COLOUR_LUT[i] = colour(i / 255.0).getRGB();
    }

    /**
     * Log-magnitude spectrograms (Hann 512, hop 128, dB, 80 dB range below the reference's peak) of the
     * original above the decoded signal, same colour scale, with time and frequency axes.
     */
    static void spectrogramPair(float[] original, float[] decoded, int rate, String title, String decodedLabel, Path png)
            throws IOException {
        double[][] a = powerDb(original);
        double[][] b = powerDb(decoded);
        double top = Double.NEGATIVE_INFINITY;
        for (double[] col : a) for (double v : col) top = Math.max(top, v);
        if (!Double.isFinite(top)) top = 0;
        double bottom = top - SPEC_RANGE_DB;
        int frames = Math.max(a.length, b.length);
        int width = 1000;
        int height = 220;
        int left = 58, right = 80, head = 34, panelGap = 52, foot = 44;
        int w = left + width + right, h = head + 2 * height + panelGap + foot;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas(img);
        g.setColor(AXIS);
        g.setFont(TITLE);
        g.drawString(title, left, 22);
        double seconds = (double) Math.max(original.length, decoded.length) / rate;
        drawSpectrogramPanel(g, img, a, frames, new Rectangle(left, head + 18, width, height), top, bottom, rate, "original", seconds, false);
        drawSpectrogramPanel(g, img, b, frames, new Rectangle(left, head + height + panelGap, width, height), top, bottom, rate,
                decodedLabel, seconds, true);
        // colour bar
        int cbx = left + width + 22, cby = head + 18, cbh = 2 * height + panelGap - 18;
        for (int y = 0; y < cbh; y++) {
            g.setColor(colour(1 - (double) y / (cbh - 1)));
            g.fillRect(cbx, cby + y, 14, 1);
        }
        g.setColor(AXIS);
        g.drawRect(cbx, cby, 14, cbh);
        g.setFont(SMALL);
        for (int k = 0; k <= 4; k++) {
            int yy = cby + (int) Math.round(k * (cbh - 1) / 4.0);
            g.drawString(String.format(Locale.ROOT, "%d", -20 * k), cbx + 18, yy + 4);
        }
        g.drawString("dB", cbx + 18, cby - 6);
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void drawSpectrogramPanel(Graphics2D g, BufferedImage img, double[][] spec, int frames, Rectangle r,
                                             double top, double bottom, int rate, String label, double seconds, boolean timeAxis) {
        int bins = SPEC_FFT / 2 + 1;
        for (int x = 0; x < r.width; x++) {
            // a column shows the loudest of the frames it covers, so long files are not subsampled away
            int f0 = (int) ((long) x * frames / r.width);
            int f1 = Math.max(f0 + 1, (int) ((long) (x + 1) * frames / r.width));
            for (int y = 0; y < r.height; y++) {
                int bin = (int) Math.round((r.height - 1 - y) * (bins - 1) / (double) (r.height - 1));
                double db = bottom;
                for (int f = f0; f < Math.min(f1, spec.length); f++) db = Math.max(db, spec[f][bin]);
                double t = Math.max(0, Math.min(1, (db - bottom) / (top - bottom)));
                img.setRGB(r.x + x, r.y + y, COLOUR_LUT[(int) Math.round(t * 255)]);
            }
        }
        g.setColor(AXIS);
        g.drawRect(r.x, r.y, r.width, r.height);
        g.setFont(LABEL);
        g.drawString(label, r.x, r.y - 6);
        g.setFont(SMALL);
        FontMetrics fm = g.getFontMetrics();
        double nyquistKHz = rate / 2000.0;
        double[] fTicks = niceTicks(0, nyquistKHz, 5);
        for (double t : fTicks) {
            if (t > nyquistKHz + 1e-9) continue;
            int yy = r.y + r.height - (int) Math.round(t / nyquistKHz * r.height);
            g.drawLine(r.x - 4, yy, r.x, yy);
            String s = trimNumber(t == 0 ? 0 : t);
            if (t == 0) s = "0";
            g.drawString(s, r.x - 7 - fm.stringWidth(s), yy + 4);
        }
        AffineTransform saved = g.getTransform();
        g.rotate(-Math.PI / 2);
        g.drawString("kHz", -(r.y + r.height / 2 + 8), r.x - 40);
        g.setTransform(saved);
        if (!timeAxis) return;
        for (double t : niceTicks(0, seconds, 8)) {
            if (t > seconds + 1e-9) continue;
            int xx = r.x + (int) Math.round(t / seconds * r.width);
            g.drawLine(xx, r.y + r.height, xx, r.y + r.height + 4);
            String s = formatTick(t, niceTicks(0, seconds, 8));
            g.drawString(s, xx - fm.stringWidth(s) / 2, r.y + r.height + 16);
        }
        g.setFont(LABEL);
        g.drawString("time [s]", r.x + r.width / 2 - 20, r.y + r.height + 34);
    }

    /** {@code [frame][bin]} power in dB of Hann-windowed frames (hop 128, zero-padded at the end). */
    static double[][] powerDb(float[] x) {
        int frames = Math.max(1, (x.length + SPEC_HOP - 1) / SPEC_HOP);
        double[][] out = new double[frames][SPEC_FFT / 2 + 1];
        Fft fft = new Fft(SPEC_FFT);
        double[] frame = new double[SPEC_FFT], re = new double[SPEC_FFT], im = new double[SPEC_FFT];
        for (int t = 0; t < frames; t++) {
            for (int n = 0; n < SPEC_FFT; n++) {
                int i = t * SPEC_HOP + n - SPEC_FFT / 2;
                frame[n] = i >= 0 && i < x.length ? SPEC_WINDOW[n] * x[i] : 0;
            }
            fft.powerSpectrum(frame, re, im, out[t]);
            for (int k = 0; k < out[t].length; k++) out[t][k] = 10 * Math.log10(out[t][k] + 1e-12);
        }
        return out;
    }

    /** Perceptually ordered dark-blue to yellow colour map, {@code t} in [0, 1]. */
    static Color colour(double t) {
        // anchors: near-black navy, indigo, magenta-red, orange, pale yellow
        int[][] stops = {{8, 8, 32}, {58, 26, 110}, {150, 40, 110}, {225, 90, 60}, {250, 175, 45}, {252, 245, 170}};
        double p = Math.max(0, Math.min(1, t)) * (stops.length - 1);
        int i = Math.min(stops.length - 2, (int) p);
        double f = p - i;
        int[] a = stops[i], b = stops[i + 1];
        return new Color((int) Math.round(a[0] + f * (b[0] - a[0])), (int) Math.round(a[1] + f * (b[1] - a[1])),
                (int) Math.round(a[2] + f * (b[2] - a[2])));
    }
}
