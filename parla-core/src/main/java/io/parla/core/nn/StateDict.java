package io.parla.core.nn;

import io.parla.core.kernels.Weight;
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
    private final DType compute;
    private final List<Spec> specs = new ArrayList<>();

    private StateDict(Map<String, Tensor> tensors, Arena arena, DType compute) {
        this.tensors = tensors;
        this.arena = arena;
        this.compute = compute;
    }

    /** A state dict that records what is asked for and returns placeholders. */
    public static StateDict recorder() {
        return new StateDict(null, null, null);
    }

    /** A state dict over real tensors (already checked against a recorder's specs); matrices as stored. */
    public static StateDict of(Map<String, Tensor> tensors, Arena arena) {
        return new StateDict(tensors, arena, null);
    }

    /**
     * As {@link #of(Map, Arena)}, with matrices converted to {@code compute} (F32 or BF16); null keeps F32 and
     * BF16 as stored (F16 is widened to F32).
     */
    public static StateDict of(Map<String, Tensor> tensors, Arena arena, DType compute) {
        if (compute != null && compute != DType.F32 && compute != DType.BF16)
            throw new IllegalArgumentException("compute weights must be F32 or BF16, not " + compute);
        return new StateDict(tensors, arena, compute);
    }

    private DType target(DType stored) {
        if (compute != null) return compute;
        return stored == DType.BF16 ? DType.BF16 : DType.F32;
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

    /** A matrix, e.g. a {@code Linear} weight {@code [out, in]}, row-major; memory-mapped when already in the compute type. */
    public Weight matrix(String name, int rows, int cols) {
        Tensor t = take(name, Kind.WEIGHT, rows, cols);
        if (t == null) return Weight.placeholder(rows, cols);
        DType dt = target(t.dtype());
        if (dt == t.dtype()) return new Weight(t.data(), dt, rows, cols);
        MemorySegment seg = arena.allocate((long) rows * cols * dt.bytes, 64);
        for (long i = 0, n = (long) rows * cols; i < n; i++) Weight.put(seg, dt, i, t.getFloat(i));
        return new Weight(seg, dt, rows, cols);
    }

    /** Any float tensor as an F32 view (converted off-heap when stored otherwise), for reshuffling. */
    public Tensor tensor(String name, Kind kind, int... shape) {
        Tensor t = take(name, kind, shape);
        return t == null ? null : t.toF32(arena);
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
    public Weight convWeight(String name, int out, int in, int k) {
        Tensor t = take(name, Kind.WEIGHT, out, in, k);
        if (t == null) return Weight.placeholder(out, (long) in * k);
        DType dt = target(t.dtype());
        if (k == 1 && dt == t.dtype()) return new Weight(t.data(), dt, out, in);
        MemorySegment seg = arena.allocate((long) out * in * k * dt.bytes, 64);
        for (long o = 0; o < out; o++)
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++)
                    Weight.put(seg, dt, (o * k + j) * in + i, t.getFloat((o * in + i) * k + j));
        return new Weight(seg, dt, out, (long) in * k);
    }

    /**
     * A {@code ConvTranspose1d} weight {@code [in, out, u]} with kernel = stride = u, re-laid as the
     * {@code [u * out, in]} matrix whose output row holds the u output frames of one input frame.
     */
    public Weight convTransposeWeight(String name, int in, int out, int u) {
        Tensor t = take(name, Kind.WEIGHT, in, out, u);
        if (t == null) return Weight.placeholder((long) u * out, in);
        DType dt = target(t.dtype());
        MemorySegment seg = arena.allocate((long) in * out * u * dt.bytes, 64);
        for (int i = 0; i < in; i++)
            for (int o = 0; o < out; o++)
                for (int j = 0; j < u; j++)
                    Weight.put(seg, dt, ((long) j * out + o) * in + i, t.getFloat(((long) i * out + o) * u + j));
        return new Weight(seg, dt, (long) u * out, in);
    }

    /** Grouped {@code Conv1d} weight {@code [C, C/G, k]} as one {@code [C/G out, k * C/G in]} matrix per group. */
    public Weight[] groupedConvWeight(String name, int channels, int groups, int k) {
        int g = channels / groups;
        Tensor t = take(name, Kind.WEIGHT, channels, g, k);
        Weight[] out = new Weight[groups];
        for (int grp = 0; grp < groups; grp++) {
            if (t == null) {
                out[grp] = Weight.placeholder(g, (long) k * g);
                continue;
            }
            DType dt = target(t.dtype());
            MemorySegment seg = arena.allocate((long) g * k * g * dt.bytes, 64);
            for (int o = 0; o < g; o++)
                for (int i = 0; i < g; i++)
                    for (int j = 0; j < k; j++)
                        Weight.put(seg, dt, ((long) o * k + j) * g + i, t.getFloat(((long) (grp * g + o) * g + i) * k + j));
            out[grp] = new Weight(seg, dt, g, (long) k * g);
        }
        return out;
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
