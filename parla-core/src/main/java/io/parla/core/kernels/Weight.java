package io.parla.core.kernels;

import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.MemorySegment;

/**
 * A {@code [rows, cols]} weight matrix as the kernels read it: F32, or BF16 (widened to F32 in registers,
 * which halves the memory traffic that bounds batch-1 streaming).
 */
public record Weight(MemorySegment data, DType dtype, long rows, long cols) {
    public Weight {
        if (dtype != DType.F32 && dtype != DType.BF16)
            throw new IllegalArgumentException("kernels compute with F32 or BF16 weights, not " + dtype);
    }

    public static Weight placeholder(long rows, long cols) {
        return new Weight(MemorySegment.NULL, DType.F32, rows, cols);
    }

    public float get(long index) {
        return dtype == DType.F32 ? data.getAtIndex(Tensor.F32_LE, index)
                : Float.intBitsToFloat((data.getAtIndex(Tensor.I16_LE, index) & 0xffff) << 16);
    }

    public static void put(MemorySegment seg, DType dtype, long index, float v) {
        if (dtype == DType.F32) seg.setAtIndex(Tensor.F32_LE, index, v);
        else seg.setAtIndex(Tensor.I16_LE, index, SafeTensorsWriter.toBf16(v));
    }

    public long bytes() {
        return rows * cols * dtype.bytes;
    }
}
