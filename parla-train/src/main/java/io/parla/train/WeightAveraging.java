package io.parla.train;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The element-wise mean of several snapshots of one model (same {@code config.json}, same tensors), written as a
 * new model directory: checkpoint averaging. Snapshots taken a few hundred steps apart late in one adversarial
 * fine-tune lie in one basin, and their mean smooths the step-to-step noise that the generator-discriminator game
 * leaves in the weights, at no training cost.
 *
 * <p>Floating-point tensors (F32 / F16 / BF16) are averaged in double precision and stored in the first snapshot's
 * type, or in a type asked for (BF16 halves a shipped model); any other tensor must be identical in every snapshot and
 * is copied.
 */
public final class WeightAveraging {
    private WeightAveraging() {}

    /** Averages {@code snapshots} (model directories) into {@code out} (created; an existing model there is replaced). */
    public static void average(List<Path> snapshots, Path out) throws IOException {
        average(snapshots, out, null);
    }

    /**
     * As {@link #average(List, Path)}, storing the floating-point means as {@code storeAs} (F32, F16 or BF16; null: the
     * snapshots' own type).
     */
    public static void average(List<Path> snapshots, Path out, DType storeAs) throws IOException {
        if (storeAs != null && !isFloat(storeAs))
            throw new IllegalArgumentException("averaged weights can be stored as F32, F16 or BF16, not " + storeAs);
        if (snapshots.size() < 2) throw new IllegalArgumentException("averaging needs at least two snapshots, got " + snapshots.size());
        Path first = snapshots.get(0);
        String config = readConfig(first);
        for (Path s : snapshots.subList(1, snapshots.size()))
            if (!readConfig(s).equals(config))
                throw new IllegalArgumentException(s.resolve("config.json") + " differs from " + first.resolve("config.json")
                        + ": only snapshots of one model can be averaged");
        List<SafeTensors> files = new ArrayList<>();
        try {
            for (Path s : snapshots) files.add(SafeTensors.open(weightsOf(s)));
            Map<String, Tensor> reference = files.get(0).tensors();
            for (int k = 1; k < files.size(); k++) requireSameTensors(weightsOf(first), reference, weightsOf(snapshots.get(k)), files.get(k).tensors());
            List<SafeTensorsWriter.Entry> entries = new ArrayList<>();
            for (Tensor t : reference.values()) {
                List<Tensor> all = new ArrayList<>();
                for (SafeTensors f : files) all.add(f.get(t.name()));
                entries.add(isFloat(t.dtype()) ? mean(t, all, storeAs == null ? t.dtype() : storeAs) : identical(t, all, snapshots));
            }
            Files.createDirectories(out);
            Map<String, String> meta = new LinkedHashMap<>(files.get(0).metadata());
            meta.put("averaged_from", String.join(", ", snapshots.stream().map(Path::toString).toList()));
            SafeTensorsWriter.write(out.resolve("model.safetensors"), meta, entries);
            Files.writeString(out.resolve("config.json"), config);
            StringBuilder sources = new StringBuilder();
            for (Path s : snapshots) sources.append(s.toAbsolutePath()).append('\n');
            Files.writeString(out.resolve("AVERAGED_FROM"), sources);
        } finally {
            for (SafeTensors f : files) f.close();
        }
    }

    private static String readConfig(Path dir) throws IOException {
        Path c = dir.resolve("config.json");
        if (!Files.isRegularFile(c)) throw new IllegalArgumentException(dir + ": not a model directory (no config.json)");
        return Files.readString(c);
    }

    private static Path weightsOf(Path dir) {
        Path w = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(w)) throw new IllegalArgumentException(dir + ": no model.safetensors");
        return w;
    }

    private static void requireSameTensors(Path refFile, Map<String, Tensor> ref, Path file, Map<String, Tensor> other) {
        if (!ref.keySet().equals(other.keySet())) {
            List<String> missing = new ArrayList<>(ref.keySet()), extra = new ArrayList<>(other.keySet());
            missing.removeAll(other.keySet());
            extra.removeAll(ref.keySet());
            throw new IllegalArgumentException(file + ": tensor names differ from " + refFile + " (missing " + missing
                    + ", extra " + extra + ")");
        }
        for (Tensor t : ref.values()) {
            Tensor o = other.get(t.name());
            if (o.dtype() != t.dtype() || !Arrays.equals(o.shape(), t.shape()))
                throw new IllegalArgumentException(file + ": tensor " + t.name() + " is " + o.dtype() + Arrays.toString(o.shape())
                        + ", but " + t.dtype() + Arrays.toString(t.shape()) + " in " + refFile);
        }
    }

    private static boolean isFloat(DType d) {
        return d == DType.F32 || d == DType.F16 || d == DType.BF16;
    }

    private static SafeTensorsWriter.Entry mean(Tensor like, List<Tensor> all, DType dt) {
        Tensor[] ts = all.toArray(Tensor[]::new);
        return new SafeTensorsWriter.Entry(like.name(), dt, like.shape(), (firstElement, out) -> {
            for (long i = firstElement; out.hasRemaining(); i++) {
                double s = 0;
                for (Tensor t : ts) s += t.getFloat(i);
                SafeTensorsWriter.putFloat(out, dt, (float) (s / ts.length));
            }
        });
    }

    private static SafeTensorsWriter.Entry identical(Tensor like, List<Tensor> all, List<Path> snapshots) {
        for (int k = 1; k < all.size(); k++)
            if (like.data().mismatch(all.get(k).data()) != -1)
                throw new IllegalArgumentException(weightsOf(snapshots.get(k)) + ": " + like.dtype() + " tensor " + like.name()
                        + " differs from " + weightsOf(snapshots.get(0)) + " and cannot be averaged");
        return SafeTensorsWriter.copyOf(like, like.dtype());
    }
}
