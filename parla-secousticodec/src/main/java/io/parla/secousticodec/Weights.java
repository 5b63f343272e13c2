package io.parla.secousticodec;

import io.parla.core.kernels.Weight;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A checked view of a state dict. Modules pull their tensors by name and expected shape while they are
 * built; problems are collected instead of thrown, and {@link #finish()} reports every missing,
 * unexpected and mis-shaped tensor at once. The expected key set is thereby exactly what the code
 * reads, never a second hand-written list.
 *
 * <p>A {@linkplain #recorder() recorder} has no tensors: it lists every name and shape a configuration needs
 * (weight-normed layers as their folded {@code .weight}) and returns zeros, which is how
 * {@link SecoustiCodec#parameterSpecs} derives a checkpoint layout (e.g. for random full-size weights).
 */
final class Weights {
    /** One tensor a configuration needs. */
    record Spec(String name, int[] shape) {}

    private final String what;
    private final Map<String, Tensor> tensors;  // null: recorder
    private final DType compute;
    private final Arena arena = Arena.ofAuto();
    private final Set<String> used = new HashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> misshaped = new ArrayList<>();
    private final List<Spec> specs = new ArrayList<>();

    Weights(String what, Map<String, Tensor> tensors) {
        this(what, tensors, DType.F32);
    }

    DType compute() {
        return compute;
    }

    /** {@code compute}: the type matrices are stored in for the kernels (F32, or BF16 to halve memory traffic). */
    Weights(String what, Map<String, Tensor> tensors, DType compute) {
        if (compute != DType.F32 && compute != DType.BF16)
            throw new IllegalArgumentException("compute weights must be F32 or BF16, not " + compute);
        this.what = what;
        this.tensors = tensors;
        this.compute = compute;
    }

    /** A state dict that only records what is asked for. */
    static Weights recorder() {
        return new Weights("recorder", null);
    }

    /**
     * A row-major {@code [rows, cols]} matrix copied off-heap in the compute type, for {@link SecoustiOps}'s
     * matmul (a placeholder while recording).
     */
    Weight matrix(float[] rowMajor, int rows, int cols) {
        if (rowMajor.length != (long) rows * cols)
            throw new IllegalArgumentException(rowMajor.length + " values for a " + rows + " x " + cols + " matrix");
        if (recording()) return Weight.placeholder(rows, cols);
        MemorySegment seg = arena.allocate((long) rows * cols * compute.bytes, 64);
        if (compute == DType.F32) MemorySegment.copy(rowMajor, 0, seg, Tensor.F32_LE, 0, rowMajor.length);
        else for (int i = 0; i < rowMajor.length; i++) Weight.put(seg, compute, i, rowMajor[i]);
        return new Weight(seg, compute, rows, cols);
    }

    /** The Linear layer {@code prefix.weight [out, in]} with {@code prefix.bias [out]} if {@code bias}. */
    SecoustiOps.Mat linear(String prefix, int out, int in, boolean bias) {
        return linear(prefix + ".weight", bias ? prefix + ".bias" : null, out, in);
    }

    /** The Linear layer of weight {@code weightName [out, in]} and bias {@code biasName [out]} (null: none). */
    SecoustiOps.Mat linear(String weightName, String biasName, int out, int in) {
        float[] w = take(weightName, out, in);
        return SecoustiOps.linear(this, w, out, in, biasName == null ? null : take(biasName, out));
    }

    /** A bias vector as an off-heap F32 segment; null stays null. */
    MemorySegment bias(float[] b) {
        if (b == null) return null;
        if (recording()) return MemorySegment.NULL;
        MemorySegment seg = arena.allocate((long) b.length * 4, 64);
        MemorySegment.copy(b, 0, seg, Tensor.F32_LE, 0, b.length);
        return seg;
    }

    boolean recording() {
        return tensors == null;
    }

    /** The tensors requested so far (optional ones, accepted by {@link #allowUnused}, are not listed). */
    List<Spec> specs() {
        return List.copyOf(specs);
    }

    /** The tensor {@code name} as floats; must exist with exactly {@code shape}. */
    float[] take(String name, int... shape) {
        specs.add(new Spec(name, shape.clone()));
        if (recording()) return new float[(int) Tensor.numel(shape)];
        Tensor t = tensors.get(name);
        used.add(name);
        if (t == null) {
            missing.add(name + " " + Arrays.toString(shape));
            return new float[(int) Tensor.numel(shape)];
        }
        if (!checkShape(t, shape)) return new float[(int) Tensor.numel(shape)];
        if (!t.dtype().isFloat()) {
            misshaped.add(name + ": expected a float tensor, found " + t.dtype());
            return new float[(int) Tensor.numel(shape)];
        }
        return t.toFloatArray();
    }

    /** A tensor the inference path does not use (e.g. VAE log-variance heads): allowed, shape-checked, not required. */
    void allowUnused(String name, int... shape) {
        if (recording()) return;
        Tensor t = tensors.get(name);
        used.add(name);
        if (t != null) checkShape(t, shape);
    }

    boolean has(String name) {
        return tensors != null && tensors.containsKey(name);
    }

    private boolean checkShape(Tensor t, int[] shape) {
        if (t.hasShape(shape)) return true;
        misshaped.add(t.name() + ": expected " + Arrays.toString(shape) + ", found " + Arrays.toString(t.shape()));
        return false;
    }

    /**
     * A weight-normalised convolution weight {@code prefix.weight} of {@code shape}, folded:
     * {@code W = g * v / ||v||} with the norm over every dimension but 0. Accepts the modern naming
     * ({@code prefix.parametrizations.weight.original0/1}), the legacy one ({@code prefix.weight_g/_v})
     * and an already folded {@code prefix.weight}.
     */
    float[] takeWeightNorm(String prefix, int... shape) {
        int[] gShape = new int[shape.length];
        Arrays.fill(gShape, 1);
        gShape[0] = shape[0];
        String g, v;
        if (recording()) return take(prefix + ".weight", shape);
        if (has(prefix + ".parametrizations.weight.original0") || has(prefix + ".parametrizations.weight.original1")) {
            g = prefix + ".parametrizations.weight.original0";
            v = prefix + ".parametrizations.weight.original1";
        } else if (has(prefix + ".weight_g") || has(prefix + ".weight_v")) {
            g = prefix + ".weight_g";
            v = prefix + ".weight_v";
        } else if (has(prefix + ".weight")) {
            return take(prefix + ".weight", shape);
        } else {
            used.add(prefix + ".weight");
            missing.add(prefix + ".parametrizations.weight.original0/1 (or .weight_g/.weight_v) " + Arrays.toString(shape));
            return new float[(int) Tensor.numel(shape)];
        }
        float[] gv = take(g, gShape);
        float[] vv = take(v, shape);
        return foldWeightNorm(gv, vv, shape[0]);
    }

    /** {@code v * (g / ||v_row||)} per slice along dimension 0, norm accumulated in double. */
    static float[] foldWeightNorm(float[] g, float[] v, int rows) {
        float[] w = new float[v.length];
        int per = v.length / rows;
        for (int r = 0; r < rows; r++) {
            double ss = 0;
            for (int i = 0; i < per; i++) ss += (double) v[r * per + i] * v[r * per + i];
            float norm = (float) Math.sqrt(ss);
            float f = g[r] / norm;
            for (int i = 0; i < per; i++) w[r * per + i] = v[r * per + i] * f;
        }
        return w;
    }

    /** Throws {@link CheckpointMismatchException} if anything was missing, mis-shaped or left over. */
    void finish() {
        if (recording()) return;
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(used);
        if (!missing.isEmpty() || !misshaped.isEmpty() || !unexpected.isEmpty())
            throw new CheckpointMismatchException(what, missing, new ArrayList<>(unexpected), misshaped);
    }
}
