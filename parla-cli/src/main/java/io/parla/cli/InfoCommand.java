package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
import io.parla.core.kernels.Kernels;
import io.parla.core.kernels.NativeInt8;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "info", description = "Summarise a model: codebook, token rate, bitrate, sample rates, latency, parameters.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Override
    public Integer call() {
        long t0 = System.nanoTime();
        try (SpeechCodec m = model.open()) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            System.out.printf("model        %s%n", model.resolve().toAbsolutePath().normalize());
            Map<String, String> extra = m.describe();
            if (extra.containsKey("family")) System.out.printf("family       %s%n", extra.get("family"));
            System.out.printf("codebook     %d codes (%d bits), 1 codebook%n", m.codebookSize(), m.codebookBits());
            System.out.printf("token rate   %s Hz%n", trim(m.tokenRate()));
            System.out.printf("bitrate      %s bit/s%s%n", trim(m.bitrate()),
                    m.sideInfoBytes() > 0 ? " + " + m.sideInfoBytes() + " bytes once per stream (side info)" : "");
            System.out.printf("sample rate  in %d Hz, out %d Hz%n", m.sampleRateInput(), m.sampleRateOutput());
            System.out.printf("latency      %s%n", extra.getOrDefault("latency",
                    m.streamable() ? trim(m.latencyMs()) + " ms (streaming)" : "offline only (non-causal)"));
            extra.forEach((k, v) -> { if (!k.equals("family") && !k.equals("latency")) System.out.printf("%-12s %s%n", k, v); });
            System.out.println("parameters");
            int w = 22;
            for (String k : m.parameterCounts().keySet()) w = Math.max(w, k.length());
            for (Map.Entry<String, Long> e : m.parameterCounts().entrySet())
                System.out.printf("  %-" + w + "s %,15d%n", e.getKey(), e.getValue());
            System.out.printf("load time    %.0f ms%s%n", loadMs, m instanceof FocalCodecAdapter ? " (memory-mapped)" : "");
            System.out.printf("kernels      %s%n", Kernels.javaMatmul().name());
            System.out.printf("int8 kernel  %s%n", Kernels.nativeInt8()
                    ? "native, " + NativeInt8.bestIsa() + ", int8 activations (-Dparla.int8=java for the Java kernels)"
                    : "Java, fp32 activations" + (NativeInt8.available() ? " (-Dparla.int8=java; the native kernel is available)"
                    : " (native: " + NativeInt8.unavailableReason() + ")"));
        }
        return 0;
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(Math.round(v * 1000) / 1000.0);
    }
}
