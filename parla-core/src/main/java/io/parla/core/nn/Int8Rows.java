package io.parla.core.nn;

import io.parla.core.kernels.Weight;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * Parla's int8 checkpoint convention (not an official format): a weight {@code name} of shape {@code [rows, ...]}
 * is stored as I8 values {@code q} with the same shape, plus an F32 tensor {@code name + ":scale"} of shape
 * {@code [rows]}; the weight is {@code q[r, ...] * scale[r]}. The scales are per output row, the same ones the
 * runtime computes when it quantises at load time ({@link Weight#quantizeRows}), so an int8 file and
 * {@code --weights int8} on the float file compute identical outputs, but the int8 file is memory-mapped as is
 * (no quantisation pass at load, a quarter of the bytes). PyTorch parameter names never contain ':', so the
 * scales cannot collide with a real parameter.
 */
public final class Int8Rows {
    public static final String SCALE_SUFFIX = ":scale";

    private Int8Rows() {}

    /**
     * The two entries (values, scales) that store {@code t} quantised per row of its first dimension. The
     * quantised copy lives in an automatic arena: the quantisation runs on several threads, and the caller's
     * arena may be confined to its own.
     */
    public static List<SafeTensorsWriter.Entry> entries(Tensor t) {
        long rows = t.dim(0), cols = t.numel() / rows;
        Weight q = Weight.quantizeRows(t::getFloat, rows, cols, Arena.ofAuto());
        return List.of(
                SafeTensorsWriter.copyOf(new Tensor(t.name(), DType.I8, t.shape(), q.data()), DType.I8),
                SafeTensorsWriter.copyOf(new Tensor(t.name() + SCALE_SUFFIX, DType.F32, new int[] {(int) rows}, q.scales()),
                        DType.F32));
    }

    /** The dequantised F32 copy of an I8 tensor {@code q} with its row scales, in {@code arena}. */
    public static Tensor dequantize(Tensor q, Tensor scale, Arena arena) {
        long rows = q.dim(0), cols = q.numel() / rows;
        MemorySegment out = arena.allocate(q.numel() * 4, 64);
        byte[] row = new byte[Math.toIntExact(cols)];
        float[] f = new float[row.length];
        for (long r = 0; r < rows; r++) {
            float s = scale.data().getAtIndex(Tensor.F32_LE, r);
            MemorySegment.copy(q.data(), ValueLayout.JAVA_BYTE, r * cols, row, 0, row.length);
            for (int c = 0; c < row.length; c++) f[c] = row[c] * s;
            MemorySegment.copy(f, 0, out, Tensor.F32_LE, r * cols * 4, f.length);
        }
        return new Tensor(q.name(), DType.F32, q.shape(), out);
    }
}
