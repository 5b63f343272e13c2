package io.parla.secousticodec;

import java.util.Arrays;

/**
 * Speed of streaming decode ({@link StreamingDecoder}, one token per push) against the offline decode, full-size
 * released configuration with random weights. Not a unit test; run like {@link SecoustiBench}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx3g -cp ... io.parla.secousticodec.SecoustiStreamBench 21.5 5
 * </pre>
 *
 * Prints process CPU seconds (all threads), wall seconds, per-push wall percentiles and whether the streamed
 * waveform equals the offline one bit for bit.
 */
public final class SecoustiStreamBench {
    private SecoustiStreamBench() {}

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) throws Exception {
        String variant = args.length > 0 ? args[0] : "21.5";
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        SecoustiConfig cfg = SecoustiConfig.released(variant.startsWith("86") ? new int[] {1, 1} : new int[] {2, 2});
        SecoustiCodec c = SecoustiCodec.fromStateDicts(cfg, SecoustiBench.randomStateDict(cfg, false, 1),
                SecoustiBench.randomStateDict(cfg, true, 2));
        int sr = cfg.sampleRate();
        float[] sig = SecoustiBench.signal((int) (seconds * sr), sr);
        int[] toks = c.sigToToks(sig, sr);
        float[] p = c.sigToParalinguistic(sig, sr);
        stream(c, Arrays.copyOf(toks, Math.min(toks.length, 2 * toks.length / (int) seconds)), p, null);  // JIT warm-up
        System.out.printf("load before: %s%n", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
        long cpu0 = OS.getProcessCpuTime(), w0 = System.nanoTime();
        float[] ref = c.featsToSig(c.toksToFeats(toks, p), Excitation.seeded(0));
        long cpu1 = OS.getProcessCpuTime(), w1 = System.nanoTime();
        double[] pushes = new double[toks.length];
        float[] got = stream(c, toks, p, pushes);
        long cpu2 = OS.getProcessCpuTime(), w2 = System.nanoTime();
        Arrays.sort(pushes);
        System.out.printf("%s Hz, %.1f s audio, %d tokens: offline decode %.2f s CPU / %.2f s wall; streaming (1 token per push) "
                        + "%.2f s CPU / %.2f s wall (%.2fx real time); per push p50 %.1f ms p95 %.1f ms max %.1f ms; bit-exact %b%n",
                variant, seconds, toks.length, (cpu1 - cpu0) / 1e9, (w1 - w0) / 1e9, (cpu2 - cpu1) / 1e9, (w2 - w1) / 1e9,
                seconds / ((w2 - w1) / 1e9), pushes[pushes.length / 2], pushes[(int) (pushes.length * 0.95)],
                pushes[pushes.length - 1], Arrays.equals(got, ref));
        System.out.printf("load after: %s%n", java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    private static float[] stream(SecoustiCodec c, int[] toks, float[] p, double[] pushMs) {
        StreamingDecoder d = c.streamingDecoder(p, Excitation.seeded(0));
        float[] out = new float[0];
        for (int i = 0; i < toks.length; i++) {
            long t = System.nanoTime(), cpu = OS.getProcessCpuTime();
            float[] y = d.push(new int[] {toks[i]});
            if (pushMs != null) {
                pushMs[i] = (System.nanoTime() - t) / 1e6;
                if (pushMs[i] > 1000)  // report stalls: wall far above CPU means the process was not running
                    System.out.printf("  push %d: %.0f ms wall, %.0f ms CPU%n", i, pushMs[i], (OS.getProcessCpuTime() - cpu) / 1e6);
            }
            out = cat(out, y);
        }
        return cat(out, d.flush());
    }

    private static float[] cat(float[] a, float[] b) {
        float[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
