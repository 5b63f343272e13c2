package io.parla.core.kernels;

import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * A {@code [rows, cols]} weight matrix as the kernels read it: F32; BF16 (widened to F32 in registers, half the
 * memory traffic that bounds batch-1 streaming); or I8 with one F32 scale per row (a quarter of the traffic;
 * {@code w[r, c] = scales[r] * q[r, c]}).
 */
public record Weight(MemorySegment data, DType dtype, long rows, long cols, MemorySegment scales) {
    public Weight {
        if (dtype != DType.F32 && dtype != DType.BF16 && dtype != DType.I8)
            throw new IllegalArgumentException("kernels compute with F32, BF16 or I8 weights, not " + dtype);
        if (dtype == DType.I8 && scales == null) throw new IllegalArgumentException("I8 weights need row scales");
    }

    public Weight(MemorySegment data, DType dtype, long rows, long cols) {
        this(data, dtype, rows, cols, null);
    }

    public static Weight placeholder(long rows, long cols) {
        return new Weight(MemorySegment.NULL, DType.F32, rows, cols);
    }

    public float get(long index) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(Tensor.F32_LE, index);
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(Tensor.I16_LE, index) & 0xffff) << 16);
            default -> data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, index) * scales.getAtIndex(Tensor.F32_LE, index / cols);
        };
    }

    /**
     * Symmetric per-row int8 quantisation of a row-major F32 source: scale = max|row| / 127, q = round(w / scale).
     * Rows are split over the cores and each source value is read once (this runs at load time over the whole
     * model: about 250 M weights for the largest official configuration).
     */
    public static Weight quantizeRows(java.util.function.LongToDoubleFunction source, long rows, long cols,
                                      java.lang.foreign.Arena arena) {
        if (rows > Integer.MAX_VALUE || cols > Integer.MAX_VALUE) throw new IllegalArgumentException("matrix too large: " + rows + "x" + cols);
        MemorySegment q = arena.allocate(rows * cols, 64);
        MemorySegment sc = arena.allocate(rows * 4, 64);
        int n = (int) cols;
        Parallel.forRange((int) rows, Math.max(1, (int) (65536 / Math.max(1, cols))), (r0, r1) -> {
            double[] row = new double[n];
            for (long r = r0; r < r1; r++) {
                double max = 0;
                for (int c = 0; c < n; c++) {
                    row[c] = source.applyAsDouble(r * cols + c);
                    max = Math.max(max, Math.abs(row[c]));
                }
                float scale = max == 0 ? 1f : (float) (max / 127.0);
                sc.setAtIndex(Tensor.F32_LE, r, scale);
                for (int c = 0; c < n; c++) {
                    long v = Math.round(row[c] / scale);
                    q.set(java.lang.foreign.ValueLayout.JAVA_BYTE, r * cols + c, (byte) Math.max(-127, Math.min(127, v)));
                }
            }
        });
        return new Weight(q, DType.I8, rows, cols, sc);
    }

    public static void put(MemorySegment seg, DType dtype, long index, float v) {
        if (dtype == DType.F32) seg.setAtIndex(Tensor.F32_LE, index, v);
        else seg.setAtIndex(Tensor.I16_LE, index, SafeTensorsWriter.toBf16(v));
    }

    public long bytes() {
        return rows * cols * dtype.bytes + (scales == null ? 0 : rows * 4);
    }
}
