package io.parla.cli;

import io.parla.core.tensor.DType;
import io.parla.focalcodec.OfficialConfigs;
import io.parla.focalcodec.RandomModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "random-model", description = "Write a full-size official-layout checkpoint with random weights.")
final class RandomModelCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, paramLabel = "official:NAME|FILE",
            description = "official:focalcodec_50hz|_25hz|_12_5hz|_50hz_2k_causal|_50hz_4k_causal|_50hz_65k_causal, or a config.json")
    String config;

    @Option(names = "--dtype", defaultValue = "F32", description = "F32, F16 or BF16 (default ${DEFAULT-VALUE})")
    DType dtype;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Parameters(index = "0", paramLabel = "OUT_DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        String json = config.startsWith("official:") ? OfficialConfigs.json(config) : Files.readString(Path.of(config));
        long t0 = System.nanoTime();
        RandomModel.write(json, out, dtype, seed);
        System.err.printf("random-model: wrote %s (%,d bytes) in %.1f s%n", out.resolve("model.safetensors"),
                Files.size(out.resolve("model.safetensors")), (System.nanoTime() - t0) / 1e9);
        return 0;
    }
}
