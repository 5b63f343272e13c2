package io.parla.core.nn;

import io.parla.core.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Compares what a configuration needs (recorded specs) with what a checkpoint holds. */
public final class CheckpointCheck {
    private CheckpointCheck() {}

    /** Throws {@link CheckpointMismatchException} unless every spec is present with its shape and nothing else is. */
    public static void require(String source, List<StateDict.Spec> specs, Map<String, Tensor> tensors) {
        List<String> missing = new ArrayList<>(), misshaped = new ArrayList<>(), unexpected = new ArrayList<>();
        Set<String> needed = new HashSet<>();
        for (StateDict.Spec s : specs) {
            needed.add(s.name());
            Tensor t = tensors.get(s.name());
            if (t == null) missing.add(s.toString());
            else if (!t.hasShape(s.shape()))
                misshaped.add(s.name() + " is " + Arrays.toString(t.shape()) + ", expected " + Arrays.toString(s.shape()));
            else if (!t.dtype().isFloat())
                misshaped.add(s.name() + " has dtype " + t.dtype() + ", expected a float type (F32, F16, BF16)");
        }
        for (String name : tensors.keySet()) if (!needed.contains(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty())
            throw new CheckpointMismatchException(source, missing, unexpected, misshaped);
    }
}
