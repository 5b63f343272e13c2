package io.parla.core.nn;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where modules get their parameters, by official tensor name and expected shape.
 *
 * <p>Models are built twice: first against a {@linkplain #recorder() recorder}, which only notes every
 * name and shape a configuration needs (that list checks a checkpoint in one go, and drives
 * {@code random-model}); then against the checkpoint itself, once it is known to fit. Large matrices stay
 * memory-mapped when they are F32 already; reshuffled or widened copies go off-heap into {@link #arena()}.
 */
public final class StateDict {
    /** One parameter a model needs. */
    public record Spec(String name, int[] shape, Kind kind) {
        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    /** How a parameter is used, so random weights can be drawn sensibly. */
    public enum Kind { WEIGHT, BIAS, NORM_WEIGHT, NORM_BIAS, SCALE, EMBEDDING }

    private final Map<String, Tensor> tensors;
    private final Arena arena;
    private final List<Spec> specs = new ArrayList<>();

    private StateDict(Map<String, Tensor> tensors, Arena arena) {
        this.tensors = tensors;
        this.arena = arena;
    }

    /** A state dict that records what is asked for and returns placeholders. */
    public static StateDict recorder() {
        return new StateDict(null, null);
    }

    /** A state dict over real tensors (already checked against a recorder's specs). */
    public static StateDict of(Map<String, Tensor> tensors, Arena arena) {
        return new StateDict(tensors, arena);
    }

    public boolean recording() {
        return tensors == null;
    }

    public List<Spec> specs() {
        return Collections.unmodifiableList(specs);
    }

    public Arena arena() {
        return arena;
    }

    private Tensor take(String name, Kind kind, int... shape) {
        specs.add(new Spec(name, shape.clone(), kind));
        if (tensors == null) return null;
        Tensor t = tensors.get(name);
        if (t == null) throw new IllegalStateException("missing tensor " + name + " (checkpoint was not checked)");
        if (!t.hasShape(shape))
            throw new IllegalStateException(name + " has shape " + Arrays.toString(t.shape()) + ", expected "
                    + Arrays.toString(shape));
        return t;
    }

    /** A matrix used as is, e.g. a {@code Linear} weight {@code [out, in]}: F32, row-major. */
    public MemorySegment matrix(String name, int... shape) {
        Tensor t = take(name, Kind.WEIGHT, shape);
        return t == null ? MemorySegment.NULL : t.toF32(arena).data();
    }

    /** A bias vector as F32 segment (for the matmul kernel). */
    public MemorySegment biasSegment(String name, int n) {
        Tensor t = take(name, Kind.BIAS, n);
        return t == null ? MemorySegment.NULL : t.toF32(arena).data();
    }

    /** A small vector copied to the heap. */
    public float[] vector(String name, Kind kind, int... shape) {
        Tensor t = take(name, kind, shape);
        return t == null ? new float[(int) Tensor.numel(shape)] : t.toFloatArray();
    }

    /**
     * A {@code Conv1d} weight {@code [out, in, k]} re-laid as {@code [out, k, in]}, so that the receptive field
     * of an output frame, which is contiguous in a {@code [T, C]} activation, is one row of a matmul.
     */
    public MemorySegment convWeight(String name, int out, int in, int k) {
        Tensor t = take(name, Kind.WEIGHT, out, in, k);
        if (t == null) return MemorySegment.NULL;
        if (k == 1) return t.toF32(arena).data();
        MemorySegment seg = arena.allocate((long) out * in * k * 4, 64);
        for (long o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++)
                    seg.setAtIndex(Tensor.F32_LE, (o * k + j) * in + i, t.getFloat((o * in + i) * k + j));
        return seg;
    }

    /**
     * A {@code ConvTranspose1d} weight {@code [in, out, u]} with kernel = stride = u, re-laid as the
     * {@code [u * out, in]} matrix whose output row holds the u output frames of one input frame.
     */
    public MemorySegment convTransposeWeight(String name, int in, int out, int u) {
        Tensor t = take(name, Kind.WEIGHT, in, out, u);
        if (t == null) return MemorySegment.NULL;
        MemorySegment seg = arena.allocate((long) in * out * u * 4, 64);
        for (int i = 0; i < in; i++)
            for (int o = 0; o < out; o++)
                for (int j = 0; j < u; j++)
                    seg.setAtIndex(Tensor.F32_LE, ((long) j * out + o) * in + i, t.getFloat(((long) i * out + o) * u + j));
        return seg;
    }

    /** A depthwise {@code Conv1d} weight {@code [C, 1, k]} re-laid as {@code [k, C]} on the heap. */
    public float[] depthwiseWeight(String name, int channels, int k) {
        Tensor t = take(name, Kind.WEIGHT, channels, 1, k);
        float[] w = new float[channels * k];
        if (t == null) return w;
        for (int c = 0; c < channels; c++)
            for (int j = 0; j < k; j++) w[j * channels + c] = t.getFloat((long) c * k + j);
        return w;
    }

    /** Groups the tensors of a checkpoint by dtype (for {@code info}). */
    public static Map<DType, Long> countByDtype(Map<String, Tensor> tensors) {
        Map<DType, Long> m = new LinkedHashMap<>();
        for (Tensor t : tensors.values()) m.merge(t.dtype(), t.numel(), Long::sum);
        return m;
    }
}
