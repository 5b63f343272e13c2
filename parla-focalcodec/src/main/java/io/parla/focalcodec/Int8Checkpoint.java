package io.parla.focalcodec;

import io.parla.core.nn.Int8Rows;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a FocalCodec snapshot whose matrix weights are stored as int8 with per-row scales ({@link Int8Rows}):
 * a quarter of the bytes, memory-mapped at load with no quantisation pass, and the same outputs as loading the
 * float snapshot with int8 compute. Norms, biases, embeddings and weights used other than as row matrices stay
 * as stored. v0.0.1 checkpoints are written with v0.0.2 names.
 */
public final class Int8Checkpoint {
    private Int8Checkpoint() {}

    public static void write(Path modelDir, Path outDir) throws IOException {
        FocalCodecConfig config = FocalCodecConfig.load(modelDir);
        Path weights = modelDir.resolve("model.safetensors");
        Files.createDirectories(outDir);
        try (Arena arena = Arena.ofConfined(); SafeTensors st = SafeTensors.open(weights)) {
            for (Tensor t : st.tensors().values())
                if (t.dtype() == DType.I8)
                    throw new IllegalArgumentException(weights + " is already an int8 checkpoint (" + t.name()
                            + " is I8); start from the float checkpoint");
            Map<String, Tensor> tensors = CheckpointLayout.toV002(st.tensors(), arena);
            Set<String> rows = FocalCodec.rowMatrixNames(config);
            List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
            for (Tensor t : tensors.values()) {
                if (rows.contains(t.name()) && t.dtype().isFloat()) entries.addAll(Int8Rows.entries(t));
                else entries.add(SafeTensorsWriter.copyOf(t, t.dtype()));
            }
            Map<String, String> meta = new LinkedHashMap<>(st.metadata());
            meta.put("parla_int8", "I8 weights with per-row F32 scales in '<name>" + Int8Rows.SCALE_SUFFIX
                    + "'; loads in Parla only");
            SafeTensorsWriter.write(outDir.resolve("model.safetensors"), meta, entries);
        }
        Files.copy(modelDir.resolve("config.json"), outDir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING);
    }
}
