package io.parla.core.nn;

import io.parla.core.tensor.DType;
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
            else if (t.dtype() == DType.I8 && t.rank() == 0)
                misshaped.add(s.name() + " is an I8 scalar; only tensors with rows can be stored as I8");
            else if (t.dtype() == DType.I8) {
                String scaleName = s.name() + Int8Rows.SCALE_SUFFIX;
                Tensor sc = tensors.get(scaleName);
                if (sc == null) misshaped.add(s.name() + " is I8 but " + scaleName + " (its row scales) is missing");
                else if (sc.dtype() != DType.F32 || !sc.hasShape(t.dim(0)))
                    misshaped.add(scaleName + " is " + sc.dtype() + Arrays.toString(sc.shape()) + ", expected F32["
                            + t.dim(0) + "]");
                else needed.add(scaleName);
            } else if (!t.dtype().isFloat())
                misshaped.add(s.name() + " has dtype " + t.dtype() + ", expected a float type (F32, F16, BF16) or I8 with row scales");
        }
        for (String name : tensors.keySet()) if (!needed.contains(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misshaped.isEmpty())
            throw new CheckpointMismatchException(source, missing, unexpected, misshaped);
    }
}
