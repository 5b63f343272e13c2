package io.parla.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Creates, reads and writes parameter maps (official tensor names -> float32 NDArrays). */
public final class ParamStore {
    private ParamStore() {}

    /** Fresh parameters for {@code cfg}, deterministic in {@code seed}. */
    public static Map<String, NDArray> init(NDManager m, CodecConfig cfg, long seed) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        SplittableRandom root = new SplittableRandom(seed);
        for (var e : ParamSpecs.of(cfg).entrySet()) {
            ParamSpecs.Spec sp = e.getValue();
            SplittableRandom r = root.split();
            int n = 1;
            for (long d : sp.shape()) n *= (int) d;
            float[] v = new float[n];
            switch (sp.init()) {
                case FAN_IN_UNIFORM -> {
                    double b = 1.0 / Math.sqrt(sp.arg());
                    for (int i = 0; i < n; i++) v[i] = (float) ((r.nextDouble() * 2 - 1) * b);
                }
                case ONES -> Arrays.fill(v, 1f);
                case CONST -> Arrays.fill(v, (float) sp.arg());
                case NORMAL -> {
                    for (int i = 0; i < n; i++) v[i] = (float) (gauss(r) * sp.arg());
                }
                case ZEROS -> { }
            }
            out.put(e.getKey(), m.create(v, new Shape(sp.shape())));
        }
        return out;
    }

    private static double gauss(SplittableRandom r) {
        double u = Math.max(1e-12, r.nextDouble()), w = r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
    }

    /** Reads every float tensor of a safetensors file (any float dtype is converted to float32). */
    public static Map<String, NDArray> read(NDManager m, Path file) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        try (SafeTensors st = SafeTensors.open(file)) {
            for (var e : st.tensors().entrySet()) {
                Tensor t = e.getValue();
                long[] shape = Arrays.stream(t.shape()).asLongStream().toArray();
                if (t.dtype().isFloat()) out.put(e.getKey(), m.create(t.toFloatArray(), new Shape(shape)));
                else if (t.dtype() == DType.I64) out.put(e.getKey(), m.create(t.toLongArray(), new Shape(shape)));
            }
        }
        return remapV001(out);
    }

    /** Reads a model and checks it against the config: every expected tensor present with the right shape. */
    public static Map<String, NDArray> readFor(NDManager m, CodecConfig cfg, Path file) {
        Map<String, NDArray> p = read(m, file);
        List<String> problems = new ArrayList<>();
        for (var e : ParamSpecs.of(cfg).entrySet()) {
            NDArray a = p.get(e.getKey());
            if (a == null) problems.add("missing " + e.getKey());
            else if (!Arrays.equals(a.getShape().getShape(), e.getValue().shape()))
                problems.add(e.getKey() + " has shape " + a.getShape() + ", config expects " + Arrays.toString(e.getValue().shape()));
        }
        if (!problems.isEmpty())
            throw new IllegalArgumentException(file + " does not match its config (" + problems.size() + " problems): "
                    + String.join("; ", problems.subList(0, Math.min(8, problems.size()))));
        return p;
    }

    /** v0.0.1 checkpoints: separate q/k/v projections and Sequential children in the compressor/decompressor. */
    static Map<String, NDArray> remapV001(Map<String, NDArray> in) {
        if (in.keySet().stream().noneMatch(k -> k.contains(".q_proj"))) return in;
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (var e : in.entrySet()) {
            String k = e.getKey();
            if (k.contains(".k_proj") || k.contains(".v_proj") || k.equals("encoder.encoder.norm.weight")
                    || k.equals("encoder.encoder.norm.bias") || k.startsWith("quantizer.")) continue;
            if (k.contains(".q_proj")) {
                String suffix = k.substring(k.indexOf(".q_proj") + 7);
                String base = k.substring(0, k.indexOf(".q_proj"));
                NDArray cat = ai.djl.ndarray.NDArrays.concat(new ai.djl.ndarray.NDList(e.getValue(),
                        in.get(base + ".k_proj" + suffix), in.get(base + ".v_proj" + suffix)), 0);
                out.put(base + ".qkv_proj" + suffix, cat);
                continue;
            }
            String n = k.replaceAll("^compressor\\.layers\\.(\\d+)\\.0\\.downscale\\.", "compressor.layers.$1.downscale.downscale.")
                    .replaceAll("^compressor\\.layers\\.(\\d+)\\.0\\.activation\\.", "compressor.layers.$1.downscale.activation.")
                    .replaceAll("^compressor\\.layers\\.(\\d+)\\.1\\.", "compressor.layers.$1.focal_block.")
                    .replaceAll("^decompressor\\.layers\\.(\\d+)\\.0\\.", "decompressor.layers.$1.focal_block.")
                    .replaceAll("^decompressor\\.layers\\.(\\d+)\\.1\\.activation\\.", "decompressor.layers.$1.upscale.activation.")
                    .replaceAll("^decompressor\\.layers\\.(\\d+)\\.1\\.upscale\\.", "decompressor.layers.$1.upscale.upscale.");
            out.put(n, e.getValue());
        }
        return out;
    }

    /** Writes the map as safetensors (atomically: temp file then rename). */
    public static void write(Path file, Map<String, NDArray> params, DType dtype, Map<String, String> metadata) throws IOException {
        List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
        for (var e : params.entrySet()) {
            NDArray a = e.getValue();
            int[] shape = Arrays.stream(a.getShape().getShape()).mapToInt(x -> (int) x).toArray();
            if (a.getDataType() == ai.djl.ndarray.types.DataType.INT64) {
                entries.add(SafeTensorsWriter.ofLongs(e.getKey(), a.toLongArray(), shape));
                continue;
            }
            float[] v = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            entries.add(switch (dtype) {
                case F32 -> SafeTensorsWriter.ofFloats(e.getKey(), v, shape);
                case BF16 -> SafeTensorsWriter.copyOf(Tensor.ofFloats(e.getKey(), v, shape), DType.BF16);
                case F16 -> SafeTensorsWriter.copyOf(Tensor.ofFloats(e.getKey(), v, shape), DType.F16);
                default -> throw new IllegalArgumentException("unsupported export dtype " + dtype);
            });
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".part");
        SafeTensorsWriter.write(tmp, metadata, entries);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Writes an official-layout model directory: config.json + model.safetensors. */
    public static void exportModel(Path dir, CodecConfig cfg, Map<String, NDArray> params, DType dtype) throws IOException {
        Files.createDirectories(dir);
        Map<String, NDArray> only = new LinkedHashMap<>();
        for (String k : ParamSpecs.of(cfg).keySet()) only.put(k, params.get(k));
        write(dir.resolve("model.safetensors"), only, dtype, Map.of("format", "pt"));
        Path tmp = dir.resolve("config.json.part");
        cfg.write(tmp);
        Files.move(tmp, dir.resolve("config.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
