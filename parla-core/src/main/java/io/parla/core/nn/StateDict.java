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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
    private final Set<String> rowMatrices = new LinkedHashSet<>();

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
     * As {@link #of(Map, Arena)}, with matrices converted to {@code compute} (F32, BF16 or I8); null keeps F32
     * and BF16 as stored (F16 is widened to F32), and computes in I8 when the checkpoint is an int8 one, so that
     * the matrices it could not store as I8 (re-laid ones) are quantised too, as {@code --weights int8} does.
     */
    public static StateDict of(Map<String, Tensor> tensors, Arena arena, DType compute) {
        if (compute != null && compute != DType.F32 && compute != DType.BF16 && compute != DType.I8)
            throw new IllegalArgumentException("compute weights must be F32, BF16 or I8, not " + compute);
        if (compute == null && computeType(tensors, null) == DType.I8) compute = DType.I8;
        return new StateDict(tensors, arena, compute);
    }

    /** The weight type the matrices of {@code tensors} are computed in when loaded with {@code compute}. */
    public static DType computeType(Map<String, Tensor> tensors, DType compute) {
        if (compute != null) return compute;
        if (tensors.values().stream().anyMatch(t -> t.dtype() == DType.I8)) return DType.I8;
        return tensors.values().stream().anyMatch(t -> t.dtype() == DType.BF16) ? DType.BF16 : DType.F32;
    }

    /** Re-laid weights are built in F32 or BF16, then quantised when the compute type is I8. */
    private DType layoutType(DType stored) {
        DType t = target(stored);
        return t == DType.I8 ? DType.F32 : t;
    }

    private Weight finish(Weight w) {
        if (compute != DType.I8 || w.dtype() == DType.I8) return w;
        return Weight.quantizeRows(w::get, w.rows(), w.cols(), arena);
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

    /**
     * The weights used as matrices whose rows are the stored tensor's first-dimension rows (linear, conv and
     * grouped conv weights): the ones an int8 checkpoint may store as I8 with row scales ({@link Int8Rows}).
     */
    public Set<String> rowMatrices() {
        return Collections.unmodifiableSet(rowMatrices);
    }

    /** Whether I8-stored weights are used as they are rather than dequantised. */
    private boolean keepsInt8() {
        return compute == DType.I8;
    }

    private Tensor scaleOf(String name) {
        Tensor s = tensors.get(name + Int8Rows.SCALE_SUFFIX);
        if (s == null) throw new IllegalStateException(name + " is I8 without row scales (checkpoint was not checked)");
        return s;
    }

    public Arena arena() {
        return arena;
    }

    /** A tensor as a float type: I8-stored weights come dequantised (for the paths that re-lay or copy values). */
    private Tensor take(String name, Kind kind, int... shape) {
        Tensor t = takeStored(name, kind, shape);
        return t != null && t.dtype() == DType.I8 ? Int8Rows.dequantize(t, scaleOf(name), arena) : t;
    }

    private Tensor takeStored(String name, Kind kind, int... shape) {
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
        rowMatrices.add(name);
        Tensor t = takeStored(name, Kind.WEIGHT, rows, cols);
        if (t == null) return Weight.placeholder(rows, cols);
        Tensor stored = t;
        if (t.dtype() == DType.I8) {
            if (keepsInt8()) return new Weight(t.data(), DType.I8, rows, cols, scaleOf(name).data());
            t = Int8Rows.dequantize(t, scaleOf(name), arena);
        }
        DType dt = target(t.dtype());
        if (dt == t.dtype()) {
            Weight w = new Weight(t.data(), dt, rows, cols);
            return t == stored ? w : released(w, stored);
        }
        if (dt == DType.I8) return released(Weight.quantizeRows(t::getFloat, rows, cols, arena), stored);
        MemorySegment seg = arena.allocate((long) rows * cols * dt.bytes, 64);
        for (long i = 0, n = (long) rows * cols; i < n; i++) Weight.put(seg, dt, i, t.getFloat(i));
        return released(new Weight(seg, dt, rows, cols), stored);
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
        rowMatrices.add(name);
        Tensor t = takeStored(name, Kind.WEIGHT, out, in, k);
        if (t == null) return Weight.placeholder(out, (long) in * k);
        Tensor stored = t;
        if (t.dtype() == DType.I8) {
            if (keepsInt8()) {
                Weight w = new Weight(relaidInt8(t.data(), 0, out, in, k), DType.I8, out, (long) in * k, scaleOf(name).data());
                return k == 1 ? w : released(w, stored);
            }
            t = Int8Rows.dequantize(t, scaleOf(name), arena);
        }
        DType dt = layoutType(t.dtype());
        if (k == 1 && dt == t.dtype()) {
            Weight view = new Weight(t.data(), dt, out, in), w = finish(view);
            return w == view ? w : released(w, stored);
        }
        MemorySegment seg = arena.allocate((long) out * in * k * dt.bytes, 64);
        float[] src = new float[in * k], dst = new float[in * k];
        for (int o = 0; o < out; o++) {
            readFloats(t, (long) o * in * k, src);
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++) dst[j * in + i] = src[i * k + j];
            writeFloats(seg, dt, (long) o * in * k, dst);
        }
        return released(finish(new Weight(seg, dt, out, (long) in * k)), stored);
    }

    /** Rows {@code [o0, o0 + out)} of an I8 {@code [*, in, k]} conv weight re-laid as {@code [out, k * in]} (k == 1: a view). */
    private MemorySegment relaidInt8(MemorySegment q, long o0, int out, int in, int k) {
        long rowBytes = (long) in * k;
        if (k == 1) return q.asSlice(o0 * rowBytes, out * rowBytes);
        MemorySegment seg = arena.allocate(out * rowBytes, 64);
        byte[] src = new byte[(int) rowBytes], dst = new byte[(int) rowBytes];
        for (long o = 0; o < out; o++) {
            MemorySegment.copy(q, java.lang.foreign.ValueLayout.JAVA_BYTE, (o0 + o) * rowBytes, src, 0, src.length);
            for (int i = 0; i < in; i++)
                for (int j = 0; j < k; j++) dst[j * in + i] = src[i * k + j];
            MemorySegment.copy(dst, 0, seg, java.lang.foreign.ValueLayout.JAVA_BYTE, o * rowBytes, dst.length);
        }
        return seg;
    }

    /**
     * Drops the pages of a memory-mapped tensor that was just copied into another layout or type: only the copy is
     * used, and the file's pages would otherwise stay resident beside it (for a full-size model's convolutions,
     * tens of MB). Read-only file pages are simply re-read if anything touches them again.
     */
    private static void release(Tensor stored) {
        MemorySegment d = stored.data();
        if (d.isMapped()) d.unload();
    }

    private static Weight released(Weight copy, Tensor stored) {
        release(stored);
        return copy;
    }

    /** Bulk read of {@code dst.length} elements of {@code t} from element {@code first}, as F32. */
    private static void readFloats(Tensor t, long first, float[] dst) {
        if (t.dtype() == DType.F32) {
            MemorySegment.copy(t.data(), Tensor.F32_LE, first * 4, dst, 0, dst.length);
        } else {
            for (int i = 0; i < dst.length; i++) dst[i] = t.getFloat(first + i);
        }
    }

    private static void writeFloats(MemorySegment seg, DType dt, long first, float[] src) {
        if (dt == DType.F32) {
            MemorySegment.copy(src, 0, seg, Tensor.F32_LE, first * 4, src.length);
        } else {
            for (int i = 0; i < src.length; i++) Weight.put(seg, dt, first + i, src[i]);
        }
    }

    /**
     * A {@code ConvTranspose1d} weight {@code [in, out, u]} with kernel = stride = u, re-laid as the
     * {@code [u * out, in]} matrix whose output row holds the u output frames of one input frame.
     */
    public Weight convTransposeWeight(String name, int in, int out, int u) {
        Tensor t = take(name, Kind.WEIGHT, in, out, u);
        if (t == null) return Weight.placeholder((long) u * out, in);
        DType dt = layoutType(t.dtype());
        MemorySegment seg = arena.allocate((long) in * out * u * dt.bytes, 64);
        int cols = Math.multiplyExact(out, u);
        // input rows in blocks of 32, each scattered into 32 consecutive columns of the output rows: no full-size
        // temporary (a 1024 x 1024 x u copy on the heap raised a full-size model's peak RSS by ~20 MB)
        float[] full = new float[Math.min(TRANSPOSE_BLOCK, in) * cols], column = new float[Math.min(TRANSPOSE_BLOCK, in)];
        for (int i0 = 0; i0 < in; i0 += TRANSPOSE_BLOCK) {
            int n = Math.min(TRANSPOSE_BLOCK, in - i0);
            float[] block = n * cols == full.length ? full : new float[n * cols];
            if (column.length != n) column = new float[n];
            readFloats(t, (long) i0 * cols, block);
            for (int o = 0; o < out; o++)
                for (int j = 0; j < u; j++) {
                    int c = o * u + j;
                    for (int k = 0; k < n; k++) column[k] = block[k * cols + c];
                    writeFloats(seg, dt, ((long) j * out + o) * in + i0, column);
                }
        }
        return finish(new Weight(seg, dt, (long) u * out, in));
    }

    /** Grouped {@code Conv1d} weight {@code [C, C/G, k]} as one {@code [C/G out, k * C/G in]} matrix per group. */
    public Weight[] groupedConvWeight(String name, int channels, int groups, int k) {
        int g = channels / groups;
        rowMatrices.add(name);
        Tensor t = takeStored(name, Kind.WEIGHT, channels, g, k);
        Weight[] out = new Weight[groups];
        Tensor stored = t;
        if (t != null && t.dtype() == DType.I8) {
            if (keepsInt8()) {
                MemorySegment scales = scaleOf(name).data();
                for (int grp = 0; grp < groups; grp++)
                    out[grp] = new Weight(relaidInt8(t.data(), (long) grp * g, g, g, k), DType.I8, g, (long) k * g,
                            scales.asSlice((long) grp * g * 4, (long) g * 4));
                if (k > 1) release(stored);
                return out;
            }
            t = Int8Rows.dequantize(t, scaleOf(name), arena);
        }
        float[] src = new float[g * k], dst = new float[g * k];
        for (int grp = 0; grp < groups; grp++) {
            if (t == null) {
                out[grp] = Weight.placeholder(g, (long) k * g);
                continue;
            }
            DType dt = layoutType(t.dtype());
            MemorySegment seg = arena.allocate((long) g * k * g * dt.bytes, 64);
            for (int o = 0; o < g; o++) {
                readFloats(t, (long) (grp * g + o) * g * k, src);
                for (int i = 0; i < g; i++)
                    for (int j = 0; j < k; j++) dst[j * g + i] = src[i * k + j];
                writeFloats(seg, dt, (long) o * k * g, dst);
            }
            out[grp] = finish(new Weight(seg, dt, g, (long) k * g));
        }
        if (stored != null) release(stored);
        return out;
    }

    /** A depthwise {@code Conv1d} weight {@code [C, 1, k]} re-laid as {@code [k, C]} on the heap. */
    public float[] depthwiseWeight(String name, int channels, int k) {
        Tensor t = take(name, Kind.WEIGHT, channels, 1, k);
        float[] w = new float[channels * k];
        if (t == null) return w;
        float[] full = new float[Math.min(TRANSPOSE_BLOCK, channels) * k];
        for (int c0 = 0; c0 < channels; c0 += TRANSPOSE_BLOCK) {
            int n = Math.min(TRANSPOSE_BLOCK, channels - c0);
            float[] block = n * k == full.length ? full : new float[n * k]; // the last block may be shorter
            readFloats(t, (long) c0 * k, block);
            for (int j = 0; j < k; j++)
                for (int c = 0; c < n; c++) w[j * channels + c0 + c] = block[c * k + j];
        }
        return w;
    }

    /**
     * Rows per block of the relayouts that transpose (depthwise and transposed-convolution weights): the full-size
     * models' are millions of values, and writing them one at a time 4 KB apart made these relayouts a third of a
     * cold load; a block of 32 rows writes 32 consecutive values per output row.
     */
    private static final int TRANSPOSE_BLOCK = 32;

    /** Groups the tensors of a checkpoint by dtype (for {@code info}). */
    public static Map<DType, Long> countByDtype(Map<String, Tensor> tensors) {
        Map<DType, Long> m = new LinkedHashMap<>();
        for (Tensor t : tensors.values()) m.merge(t.dtype(), t.numel(), Long::sum);
        return m;
    }
}
