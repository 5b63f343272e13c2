package io.parla.secousticodec;

import io.parla.core.tensor.Tensor;

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
 */
final class Weights {
    private final String what;
    private final Map<String, Tensor> tensors;
    private final Set<String> used = new HashSet<>();
    private final List<String> missing = new ArrayList<>();
    private final List<String> misshaped = new ArrayList<>();

    Weights(String what, Map<String, Tensor> tensors) {
        this.what = what;
        this.tensors = tensors;
    }

    /** The tensor {@code name} as floats; must exist with exactly {@code shape}. */
    float[] take(String name, int... shape) {
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
        Tensor t = tensors.get(name);
        used.add(name);
        if (t != null) checkShape(t, shape);
    }

    boolean has(String name) {
        return tensors.containsKey(name);
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
        TreeSet<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(used);
        if (!missing.isEmpty() || !misshaped.isEmpty() || !unexpected.isEmpty())
            throw new CheckpointMismatchException(what, missing, new ArrayList<>(unexpected), misshaped);
    }
}
