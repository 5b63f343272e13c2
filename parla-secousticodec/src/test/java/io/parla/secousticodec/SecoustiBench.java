package io.parla.secousticodec;

import io.parla.core.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Speed of a full-size (released configuration) SecoustiCodec with random weights, on a synthetic input.
 * Not a unit test: run by hand after {@code ./mvnw -q -B -o -pl parla-secousticodec -am test-compile}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx3g \
 *   -cp parla-secousticodec/target/test-classes:parla-secousticodec/target/classes:parla-core/target/classes \
 *   io.parla.secousticodec.SecoustiBench 21.5 10 3
 * </pre>
 *
 * Arguments: variant ({@code 21.5} or {@code 86}), seconds of audio, timed repetitions (median reported).
 * Prints the load average before and after, since wall-clock figures mean little on a busy machine, and the
 * process CPU seconds of each stage (all threads, including JIT and GC), which depend less on other load.
 */
public final class SecoustiBench {
    private SecoustiBench() {}

    /** Random weights for every tensor {@code cfg} needs, scaled so activations stay finite. */
    static Map<String, Tensor> randomStateDict(SecoustiConfig cfg, boolean vocoder, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        SecoustiCodec.parameterSpecs(cfg, vocoder).forEach((name, shape) -> {
            float[] v = new float[(int) Tensor.numel(shape)];
            long fanIn = shape.length > 1 ? v.length / shape[0] : 1;
            for (int i = 0; i < v.length; i++) v[i] = (float) value(name, shape.length, fanIn, rng);
            m.put(name, Tensor.ofFloats(name, v, shape));
        });
        return m;
    }

    private static double value(String name, int rank, long fanIn, SplittableRandom rng) {
        if (name.endsWith("running_var")) return rng.nextDouble(0.5, 1.5);
        if (name.contains("layer_scale")) return rng.nextDouble(0.05, 0.2);
        if (name.endsWith(".alpha")) return rng.nextDouble(0.5, 2.0);
        if (rank == 1 && name.endsWith(".weight")) return rng.nextDouble(0.8, 1.2);  // norm gains
        if (rank == 1) return rng.nextGaussian() * 0.02;                              // biases, running means
        double a = 1 / Math.sqrt(fanIn);
        return rng.nextDouble(-a, a);
    }

    /** A speech-like test signal: a gliding harmonic tone with noise, amplitude about 0.3. */
    static float[] signal(int n, int rate) {
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / rate, f0 = 120 + 40 * Math.sin(2 * Math.PI * 0.7 * t);
            phase += 2 * Math.PI * f0 / rate;
            double s = 0;
            for (int h = 1; h <= 10; h++) s += Math.sin(h * phase) / h;
            x[i] = (float) (0.15 * s + 0.01 * rng.nextGaussian());
        }
        return x;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "n/a";
        }
    }

    public static void main(String[] args) {
        String variant = args.length > 0 ? args[0] : "21.5";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 10;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int[] ratios = variant.startsWith("86") ? new int[] {1, 1} : new int[] {2, 2};
        SecoustiConfig cfg = SecoustiConfig.released(ratios);
        System.out.printf("load before: %s%n", load());
        long t0 = System.nanoTime();
        SecoustiCodec c = SecoustiCodec.fromStateDicts(cfg, randomStateDict(cfg, false, 1), randomStateDict(cfg, true, 2));
        System.out.printf("built %s Hz model with random weights in %.1f s%n", variant, (System.nanoTime() - t0) / 1e9);
        int sr = cfg.sampleRate();
        float[] warm = signal(2 * sr, sr), sig = signal((int) (seconds * sr), sr);
        run(c, warm);  // JIT warm-up
        double[][] t = new double[reps][];
        for (int r = 0; r < reps; r++) t[r] = run(c, sig);
        String[] names = {"mel", "tokens", "paralinguistic", "tokens->mel", "vocoder"};
        double[] med = new double[names.length];
        for (int s = 0; s < names.length; s++) {
            med[s] = median(t, s);
            System.out.printf("  %-15s %7.3f s wall, %7.3f s CPU%n", names[s], med[s], median(t, s + names.length));
        }
        double enc = med[0] + med[1] + med[2], dec = med[3] + med[4];
        System.out.printf("%s Hz, %.1f s audio: encode %.3f s (%.2fx real time), decode %.3f s (%.2fx real time; to mel only %.2fx)%n",
                variant, seconds, enc, seconds / enc, dec, seconds / dec, seconds / med[3]);
        System.out.printf("load after: %s%n", load());
    }

    private static double median(double[][] t, int column) {
        double[] v = new double[t.length];
        for (int r = 0; r < t.length; r++) v[r] = t[r][column];
        java.util.Arrays.sort(v);
        return v[t.length / 2];
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    /** Wall seconds of the five stages, then their process CPU seconds. */
    private static double[] run(SecoustiCodec c, float[] sig) {
        double[] t = new double[10];
        long[] cpu = new long[6];
        cpu[0] = OS.getProcessCpuTime();
        long a = System.nanoTime();
        float[] feats = c.sigToFeats(sig, c.sampleRate());
        long b = System.nanoTime();
        cpu[1] = OS.getProcessCpuTime();
        int[] toks = c.featsToToks(feats);
        long d = System.nanoTime();
        cpu[2] = OS.getProcessCpuTime();
        float[] p = c.featsToParalinguistic(feats);
        long e = System.nanoTime();
        cpu[3] = OS.getProcessCpuTime();
        float[] mel = c.toksToFeats(toks, p);
        long f = System.nanoTime();
        cpu[4] = OS.getProcessCpuTime();
        float[] wav = c.featsToSig(mel, Excitation.seeded(1));
        long g = System.nanoTime();
        cpu[5] = OS.getProcessCpuTime();
        for (int i = 0; i < 5; i++) t[5 + i] = (cpu[i + 1] - cpu[i]) / 1e9;
        if (wav.length == 0) throw new IllegalStateException();
        t[0] = (b - a) / 1e9;
        t[1] = (d - b) / 1e9;
        t[2] = (e - d) / 1e9;
        t[3] = (f - e) / 1e9;
        t[4] = (g - f) / 1e9;
        return t;
    }
}
