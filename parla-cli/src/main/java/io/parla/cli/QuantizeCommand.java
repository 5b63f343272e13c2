package io.parla.cli;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Writes a copy of a checkpoint with its float tensors in BF16 or F16: the same official layout, half the size,
 * loadable by Parla and by the official code. (Int8 is a compute format: {@code --weights int8} at load time.)
 */
@Command(name = "quantize", description = "Copy a model with its weights stored as BF16 or F16 (official layout, half the size).")
final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--to", required = true, paramLabel = "bf16|f16")
    String to;

    @Parameters(index = "0", paramLabel = "OUT_DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        DType dt = switch (to.toLowerCase(java.util.Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "f16" -> DType.F16;
            case "int8", "i8" -> throw new IllegalArgumentException(
                    "int8 is applied when loading (--weights int8); stored checkpoints stay in an official dtype");
            default -> throw new IllegalArgumentException("--to must be bf16 or f16, not " + to);
        };
        Path dir = model.resolve();
        CodecFamilies.family(dir);
        Files.createDirectories(out);
        Path weights = dir.resolve("model.safetensors");
        try (SafeTensors st = SafeTensors.open(weights)) {
            List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
            for (Tensor t : st.tensors().values())
                entries.add(SafeTensorsWriter.copyOf(t, t.dtype().isFloat() ? dt : t.dtype()));
            Map<String, String> meta = new LinkedHashMap<>(st.metadata());
            meta.put("parla", "quantize --to " + dt + " of " + dir.getFileName());
            SafeTensorsWriter.write(out.resolve("model.safetensors"), meta, entries);
        }
        Files.copy(dir.resolve("config.json"), out.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        System.err.printf("quantize: %s -> %s (%,d -> %,d bytes)%n", weights, out.resolve("model.safetensors"),
                Files.size(weights), Files.size(out.resolve("model.safetensors")));
        return 0;
    }
}
