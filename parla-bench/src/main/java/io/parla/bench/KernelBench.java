package io.parla.bench;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Runs {@link MatMulBenchmark} through JMH and prints, per case, the time per call, the GFLOP/s
 * ({@code 2 x rows x out x in} per call) and the weight traffic in GB/s (the matrix bytes read per call, once:
 * a lower bound; GEMM with more than 64 rows re-reads the weights once per 64-row block).
 *
 * <pre>
 * KernelBench [-p NAME=V1,V2 ...] [-wi N] [-i N] [-w SECONDS] [-r SECONDS] [-f FORKS] [--csv FILE]
 * </pre>
 * {@code -p} narrows a parameter (kernel, weights, rows, shape), e.g. {@code -p rows=1,4 -p kernel=vector}.
 */
public final class KernelBench {
    private KernelBench() {}

    public static void main(String[] args) throws Exception {
        ChainedOptionsBuilder o = new OptionsBuilder().include(MatMulBenchmark.class.getName() + ".linear");
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "-p" -> {
                    int eq = v.indexOf('=');
                    o = o.param(v.substring(0, eq), v.substring(eq + 1).split(","));
                    i++;
                }
                case "-wi" -> { o = o.warmupIterations(Integer.parseInt(v)); i++; }
                case "-i" -> { o = o.measurementIterations(Integer.parseInt(v)); i++; }
                case "-w" -> { o = o.warmupTime(TimeValue.milliseconds((long) (Double.parseDouble(v) * 1000))); i++; }
                case "-r" -> { o = o.measurementTime(TimeValue.milliseconds((long) (Double.parseDouble(v) * 1000))); i++; }
                case "-f" -> { o = o.forks(Integer.parseInt(v)); i++; }
                case "--csv" -> { csv = Path.of(v); i++; }
                case "-h", "--help" -> {
                    System.out.println("KernelBench [-p NAME=V1,V2 ...] [-wi N] [-i N] [-w S] [-r S] [-f FORKS] [--csv FILE]");
                    System.out.println("  parameters: kernel=vector,scalar weights=F32,BF16,I8 rows=1,4,500 shape=1024x1024,4096x1024,1024x4096");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument " + a + " (try --help)");
            }
        }
        Collection<RunResult> results = new Runner(o.build()).run();
        List<String> lines = new ArrayList<>();
        lines.add("kernel,weights,rows,shape,us_per_call,error_us,gflop_per_s,weight_gb_per_s");
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT, "%n%-7s %-7s %5s %-10s %12s %10s %9s %14s%n",
                "kernel", "weights", "rows", "out x in", "us/call", "+-", "GFLOP/s", "weight GB/s"));
        for (RunResult r : results) {
            var p = r.getParams();
            String kernel = p.getParam("kernel"), weights = p.getParam("weights"), shape = p.getParam("shape");
            int rows = Integer.parseInt(p.getParam("rows"));
            String[] d = shape.split("x");
            long out = Long.parseLong(d[0]), in = Long.parseLong(d[1]);
            double us = r.getPrimaryResult().getScore(), err = r.getPrimaryResult().getScoreError();
            double gflops = 2.0 * rows * out * in / (us * 1e-6) / 1e9;
            double gbs = out * in * (weights.equals("BF16") ? 2 : weights.equals("I8") ? 1 : 4) / (us * 1e-6) / 1e9;
            t.append(String.format(Locale.ROOT, "%-7s %-7s %5d %-10s %12.1f %10.1f %9.2f %14.3f%n",
                    kernel, weights, rows, shape, us, err, gflops, gbs));
            lines.add(String.format(Locale.ROOT, "%s,%s,%d,%s,%.3f,%.3f,%.3f,%.3f", kernel, weights, rows, shape, us,
                    Double.isFinite(err) ? err : 0, gflops, gbs));
        }
        System.out.print(t);
        if (csv != null) writeCsv(csv, lines);
    }

    private static void writeCsv(Path csv, List<String> lines) throws IOException {
        Files.write(csv, lines);
        System.out.println("wrote " + csv);
    }
}
