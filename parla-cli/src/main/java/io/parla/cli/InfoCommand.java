package io.parla.cli;

import io.parla.focalcodec.FocalCodec;
import io.parla.focalcodec.FocalCodecConfig;
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
        try (FocalCodec m = model.load()) {
            double loadMs = (System.nanoTime() - t0) / 1e6;
            FocalCodecConfig c = m.config();
            System.out.printf("model        %s%n", m.directory().toAbsolutePath().normalize());
            System.out.printf("family       FocalCodec%s (%s encoder, %s decoder)%n", c.causal() ? "-Stream" : "",
                    c.encoder().causal() ? "causal" : "non-causal", c.decoder().name());
            System.out.printf("codebook     %d codes (%d bits), 1 codebook%n", c.codebookSize(), c.codeBits());
            System.out.printf("token rate   %s Hz%n", trim(c.tokenRate()));
            System.out.printf("bitrate      %s bit/s%n", trim(c.bitrate()));
            System.out.printf("sample rate  in %d Hz, out %d Hz%n", m.sampleRateInput(), m.sampleRateOutput());
            System.out.printf("latency      %s%n", c.causal() ? trim(c.latencyMs()) + " ms (streams in chunks of "
                    + c.chunkSamples() + " samples)" : "offline only (non-causal)");
            System.out.printf("weights      %s%n", m.weightsFile().file().getFileName() + " " + dtypes(m));
            System.out.println("parameters");
            for (Map.Entry<String, Long> e : m.parameterCounts().entrySet())
                System.out.printf("  %-22s %,15d%n", e.getKey(), e.getValue());
            System.out.printf("load time    %.0f ms (memory-mapped)%n", loadMs);
        }
        return 0;
    }

    private static String dtypes(FocalCodec m) {
        StringBuilder b = new StringBuilder();
        io.parla.core.nn.StateDict.countByDtype(m.weightsFile().tensors())
                .forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format("%,d", v)));
        return "(" + b + ")";
    }

    static String trim(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
