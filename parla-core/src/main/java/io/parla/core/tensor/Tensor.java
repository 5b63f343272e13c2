package io.parla.core.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A named n-dimensional array whose bytes live in a {@link MemorySegment}: usually a slice of a
 * memory-mapped safetensors file, so weights are never copied onto the Java heap. Little-endian,
 * C order (last dimension contiguous), as safetensors stores them.
 */
public final class Tensor {
    public static final ValueLayout.OfFloat F32_LE =
            ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfShort I16_LE =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfLong I64_LE =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfInt I32_LE =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    public static final ValueLayout.OfDouble F64_LE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final MemorySegment data;
    private final long numel;

    public Tensor(String name, DType dtype, int[] shape, MemorySegment data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.numel = numel(shape);
        if (data.byteSize() != numel * dtype.bytes)
            throw new IllegalArgumentException("tensor " + name + ": " + data.byteSize() + " bytes for "
                    + numel + " elements of " + dtype);
        this.data = data;
    }

    /** An F32 tensor on the heap (tests, small state). */
    public static Tensor ofFloats(String name, float[] values, int... shape) {
        if (numel(shape) != values.length)
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + numel(shape)
                    + " values, got " + values.length);
        MemorySegment seg = Arena.ofAuto().allocate((long) values.length * 4, 64);
        MemorySegment.copy(values, 0, seg, F32_LE, 0, values.length);
        return new Tensor(name, DType.F32, shape, seg);
    }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n = Math.multiplyExact(n, d);
        return n;
    }

    public String name() { return name; }
    public DType dtype() { return dtype; }
    public int[] shape() { return shape.clone(); }
    public int dim(int i) { return shape[i < 0 ? shape.length + i : i]; }
    public int rank() { return shape.length; }
    public long numel() { return numel; }
    public MemorySegment data() { return data; }

    public boolean hasShape(int... expected) {
        return Arrays.equals(shape, expected);
    }

    /** Element {@code i} (flat index) as float, whatever the floating dtype. */
    public float getFloat(long i) {
        return switch (dtype) {
            case F32 -> data.getAtIndex(F32_LE, i);
            case BF16 -> Float.intBitsToFloat((data.getAtIndex(I16_LE, i) & 0xffff) << 16);
            case F16 -> Float.float16ToFloat(data.getAtIndex(I16_LE, i));
            case F64 -> (float) data.getAtIndex(F64_LE, i);
            case I64 -> data.getAtIndex(I64_LE, i);
            case I32 -> data.getAtIndex(I32_LE, i);
            default -> throw new UnsupportedOperationException(name + ": " + dtype + " is not numeric float");
        };
    }

    public long getLong(long i) {
        return switch (dtype) {
            case I64 -> data.getAtIndex(I64_LE, i);
            case I32 -> data.getAtIndex(I32_LE, i);
            case I16 -> data.getAtIndex(I16_LE, i);
            case I8 -> data.get(ValueLayout.JAVA_BYTE, i);
            case U8, BOOL -> data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
            default -> (long) getFloat(i);
        };
    }

    /** Copies all elements to a new heap array (only for small tensors, tests and state). */
    public float[] toFloatArray() {
        if (numel > Integer.MAX_VALUE - 16) throw new IllegalStateException(name + " is too large for an array");
        float[] out = new float[(int) numel];
        if (dtype == DType.F32) {
            MemorySegment.copy(data, F32_LE, 0, out, 0, out.length);
        } else {
            for (int i = 0; i < out.length; i++) out[i] = getFloat(i);
        }
        return out;
    }

    public long[] toLongArray() {
        long[] out = new long[(int) numel];
        for (int i = 0; i < out.length; i++) out[i] = getLong(i);
        return out;
    }

    /**
     * This tensor in F32. An F32 tensor is returned as is (still memory-mapped); F16/BF16 are widened
     * into off-heap memory owned by {@code arena}, so a large checkpoint never lands on the heap.
     */
    public Tensor toF32(Arena arena) {
        if (dtype == DType.F32) return this;
        if (!dtype.isFloat()) throw new IllegalStateException(name + ": " + dtype + " is not a float tensor");
        MemorySegment seg = arena.allocate(numel * 4, 64);
        for (long i = 0; i < numel; i++) seg.setAtIndex(F32_LE, i, getFloat(i));
        return new Tensor(name, DType.F32, shape, seg);
    }

    @Override
    public String toString() {
        return name + " " + dtype + Arrays.toString(shape);
    }
}
