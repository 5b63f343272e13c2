package io.parla.cli;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import io.parla.focalcodec.Int8Checkpoint;
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
 * Writes a copy of a checkpoint with smaller weights: BF16 or F16 (the same official layout, half the size,
 * loadable by Parla and by the official code), or int8 (FocalCodec models; Parla's own convention, see
 * {@link Int8Rows}: a quarter of the size, memory-mapped as is, the same outputs as {@code --weights int8} on the
 * float checkpoint; the official code cannot load it).
 */
@Command(name = "quantize", description = "Copy a model with its weights stored as BF16 or F16 (official layout, half the size), "
        + "or int8 with per-row scales (Parla only, a quarter of the size, no quantisation at load).")
final class QuantizeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--to", required = true, paramLabel = "bf16|f16|int8")
    String to;

    @Parameters(index = "0", paramLabel = "OUT_DIR")
    Path out;

    @Override
    public Integer call() throws Exception {
        DType dt = switch (to.toLowerCase(java.util.Locale.ROOT)) {
            case "bf16" -> DType.BF16;
            case "f16" -> DType.F16;
            case "int8", "i8" -> DType.I8;
            default -> throw new IllegalArgumentException("--to must be bf16, f16 or int8, not " + to);
        };
        Path dir = model.resolve();
        String family = CodecFamilies.family(dir);
        if (dt == DType.I8 && !family.equals("focalcodec"))
            throw new IllegalArgumentException(dir + ": int8 checkpoints are written for FocalCodec models only (this is "
                    + family + "); use --to bf16, or --weights int8 at load time");
        Path weights = dir.resolve("model.safetensors");
        if (dt == DType.I8) {
            Int8Checkpoint.write(dir, out);
        } else {
            Files.createDirectories(out);
            try (SafeTensors st = SafeTensors.open(weights)) {
                List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
                for (Tensor t : st.tensors().values()) {
                    if (t.dtype() == DType.I8)
                        throw new IllegalArgumentException(weights + " is an int8 checkpoint (" + t.name()
                                + " is I8); convert the float checkpoint instead");
                    entries.add(SafeTensorsWriter.copyOf(t, t.dtype().isFloat() ? dt : t.dtype()));
                }
                Map<String, String> meta = new LinkedHashMap<>(st.metadata());
                meta.put("parla", "quantize --to " + dt + " of " + dir.getFileName());
                SafeTensorsWriter.write(out.resolve("model.safetensors"), meta, entries);
            }
            Files.copy(dir.resolve("config.json"), out.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        System.err.printf("quantize: %s -> %s (%,d -> %,d bytes)%n", weights, out.resolve("model.safetensors"),
                Files.size(weights), Files.size(out.resolve("model.safetensors")));
        return 0;
    }
}
