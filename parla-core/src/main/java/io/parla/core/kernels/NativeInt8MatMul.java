package io.parla.core.kernels;

import io.parla.core.tensor.DType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@link MatMul} that sends products with I8 weights to the native kernel ({@link NativeInt8}), with the
 * activations quantised to int8 per row ("W8A8"), and every other product to {@code base}. Not bit-identical to
 * the Java kernels, which multiply int8 weights by fp32 activations: the activation rounding costs accuracy,
 * measured in docs/native-int8.md. Chosen by {@code -Dparla.int8} (see {@link Kernels}).
 *
 * <p>The activations are quantised once per call, then the output columns are split over the cores.
 */
public final class NativeInt8MatMul implements MatMul {
    private final MatMul base;
    private final NativeInt8.Isa isa;

    /** Per-thread native scratch for the quantised rows and their scales (grown, never shrunk). */
    private static final ThreadLocal<MemorySegment[]> SCRATCH = ThreadLocal.withInitial(
            () -> new MemorySegment[] {MemorySegment.NULL, MemorySegment.NULL});

    /** The kernel in the best instruction set this CPU has. */
    public NativeInt8MatMul(MatMul base) {
        this(base, NativeInt8.bestIsa());
    }

    public NativeInt8MatMul(MatMul base, NativeInt8.Isa isa) {
        if (!NativeInt8.available()) throw new IllegalStateException("native int8 kernel: " + NativeInt8.unavailableReason());
        if (!NativeInt8.supports(isa)) throw new IllegalArgumentException("this CPU cannot run the " + isa + " int8 kernel");
        this.base = base;
        this.isa = isa;
    }

    @Override
    public void linear(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b, float[] y,
                       int yOff, int yStride, int out) {
        if (w.dtype() != DType.I8 || rows <= 0) {
            base.linear(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
            return;
        }
        checkBounds(x, xOff, xStride, rows, in, w, b, y, yOff, yStride, out);
        long qStride = NativeInt8.rowBytes(in);
        MemorySegment[] s = SCRATCH.get();
        if (s[0].byteSize() < qStride * rows) s[0] = Arena.ofAuto().allocate(qStride * rows, 64);
        if (s[1].byteSize() < 4L * rows) s[1] = Arena.ofAuto().allocate(4L * rows, 64);
        MemorySegment q = s[0], scales = s[1];
        NativeInt8.quantize(x, xOff, xStride, rows, in, q, qStride, scales);
        // parts of at least ~256 K multiply-adds: a downcall and a claim cost well under a microsecond
        int grain = Math.max(4, (int) Math.min(out, (1L << 18) / Math.max(1L, (long) rows * in)));
        Parallel.forRange(out, grain, (o0, o1) -> NativeInt8.gemm(isa, q, qStride, scales, rows, in, w, b, y, yOff, yStride, o0, o1));
    }

    /** The kernel trusts its arguments; a wrong shape must fail here, not read or write past an array. */
    private static void checkBounds(float[] x, int xOff, int xStride, int rows, int in, Weight w, MemorySegment b,
                                    float[] y, int yOff, int yStride, int out) {
        long xEnd = xOff + (long) (rows - 1) * xStride + in, yEnd = yOff + (long) (rows - 1) * yStride + out;
        if (xOff < 0 || xStride < 0 || xEnd > x.length || yOff < 0 || (rows > 1 && yStride < out) || yEnd > y.length
                || w.cols() != in || w.rows() < out || w.data().byteSize() < w.rows() * w.cols()
                || w.scales().byteSize() < 4 * w.rows() || (b != null && b.byteSize() < 4L * out))
            throw new IllegalArgumentException("int8 product out of bounds: " + rows + " x " + in + " -> " + out
                    + " with weight " + w.rows() + " x " + w.cols());
    }

    @Override
    public String name() {
        return "native int8 (" + isa + ", activations int8 per row) + " + base.name();
    }
}
