package io.parla.core.kernels;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native W8A8 kernel against a plain Java model of the same arithmetic (activations rounded per row exactly as
 * the C code does, integer dot products, the same float operations in the same order), bit for bit; and against
 * the exact fp32-activation product, within the error that int8 activations explain; for each instruction set
 * the CPU has (so both kernels give the same bits). Runs where the library was built and the CPU has AVX2.
 */
class NativeInt8MatMulTest {
    @BeforeAll
    static void needsKernel() {
        assumeTrue(NativeInt8.available(), () -> "native int8 kernel: " + NativeInt8.unavailableReason());
    }

    @ParameterizedTest(name = "{7}: {0}x{1}->{2} xOff {3} xStride {4} yStride {5} bias {6}")
    @CsvSource({
            "1, 1, 1, 0, 1, 1, false, AVX2",
            "1, 64, 4, 0, 64, 4, true, AVX2",
            "3, 17, 5, 2, 17, 5, true, AVX2",
            "4, 128, 8, 0, 128, 8, false, AVX2",
            "5, 100, 7, 1, 103, 9, true, AVX2",
            "16, 1024, 1024, 0, 1024, 1024, true, AVX2",
            "17, 513, 33, 3, 520, 40, true, AVX2",
            "6, 1536, 11, 0, 1024, 11, false, AVX2",   // overlapping input rows (a strided convolution's receptive fields)
            "130, 200, 70, 0, 200, 70, true, AVX2",
            "1, 1, 1, 0, 1, 1, false, AVX512_VNNI",
            "1, 64, 4, 0, 64, 4, true, AVX512_VNNI",
            "3, 17, 5, 2, 17, 5, true, AVX512_VNNI",
            "4, 128, 8, 0, 128, 8, false, AVX512_VNNI",
            "5, 100, 7, 1, 103, 9, true, AVX512_VNNI",
            "16, 1024, 1024, 0, 1024, 1024, true, AVX512_VNNI",
            "17, 513, 33, 3, 520, 40, true, AVX512_VNNI",
            "6, 1536, 11, 0, 1024, 11, false, AVX512_VNNI",
            "130, 200, 70, 0, 200, 70, true, AVX512_VNNI"})
    void bitIdenticalToJavaModel(int rows, int in, int out, int xOff, int xStride, int yStride, boolean bias,
                                 NativeInt8.Isa isa) {
        assumeTrue(NativeInt8.supports(isa), () -> "this CPU lacks " + isa);
        SplittableRandom rnd = new SplittableRandom(rows * 31L + in * 7L + out);
        Arena arena = Arena.ofAuto();
        float[] x = new float[xOff + (rows - 1) * xStride + in];
        for (int i = 0; i < x.length; i++) x[i] = (float) (rnd.nextGaussian() * (i % 13 == 0 ? 4 : 1));
        Weight w = Weight.quantizeRows(i -> rnd.nextGaussian() * 0.05, out, in, arena);
        MemorySegment b = null;
        if (bias) {
            b = arena.allocate(4L * out, 64);
            for (int o = 0; o < out; o++) b.setAtIndex(Tensor.F32_LE, o, (float) rnd.nextGaussian());
        }
        float[] y = new float[(rows - 1) * yStride + out + 3];
        java.util.Arrays.fill(y, Float.NaN);
        new NativeInt8MatMul(new ScalarMatMul(), isa).linear(x, xOff, xStride, rows, in, w, b, y, 0, yStride, out);

        float[] exact = new float[y.length];
        new ScalarMatMul().linear(x, xOff, xStride, rows, in, w, b, exact, 0, yStride, out);
        double maxErr = 0, maxMag = 0;
        for (int t = 0; t < rows; t++) {
            int[] q = new int[in];
            float scale = quantize(x, xOff + t * xStride, in, q);
            for (int o = 0; o < out; o++) {
                int dot = 0;
                for (int c = 0; c < in; c++) dot += q[c] * w.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, (long) o * in + c);
                float expect = (float) dot * (scale * w.scales().getAtIndex(Tensor.F32_LE, o))
                        + (b == null ? 0f : b.getAtIndex(Tensor.F32_LE, o));
                float got = y[t * yStride + o];
                assertThat(got).as("row %d col %d", t, o).isEqualTo(expect);
                maxErr = Math.max(maxErr, Math.abs(got - exact[t * yStride + o]));
                maxMag = Math.max(maxMag, Math.abs(exact[t * yStride + o]));
            }
            for (int o = out; o < yStride && t < rows - 1; o++)
                assertThat(y[t * yStride + o]).as("gap column %d of row %d written", o, t).isNaN();
        }
        // rounding each activation to 1/254 of its row's range: a few per cent of the output's range at most
        assertThat(maxErr).isLessThanOrEqualTo(0.03 * maxMag + 1e-6);
        assertThat(y[y.length - 1]).as("past the last row").isNaN();
    }

    /** The C kernel's per-row quantisation, in Java: q = rint(x * (127 / max|x|)), clamped to [-127, 127]. */
    private static float quantize(float[] x, int off, int n, int[] q) {
        float max = 0;
        for (int i = 0; i < n; i++) max = Math.max(max, Math.abs(x[off + i]));
        float inv = max > 0 ? 127.0f / max : 0f;
        for (int i = 0; i < n; i++) q[i] = (int) Math.max(-127, Math.min(127, Math.rint(x[off + i] * inv)));
        return max > 0 ? max / 127.0f : 1f;
    }

    @Test
    void otherWeightTypesGoToTheBaseKernel() {
        Arena arena = Arena.ofAuto();
        MemorySegment f = arena.allocate(4L * 8 * 16, 64);
        for (int i = 0; i < 8 * 16; i++) f.setAtIndex(Tensor.F32_LE, i, i * 0.01f);
        Weight w = new Weight(f, DType.F32, 8, 16);
        float[] x = new float[2 * 16], a = new float[2 * 8], e = new float[2 * 8];
        for (int i = 0; i < x.length; i++) x[i] = i * 0.1f - 1;
        new NativeInt8MatMul(new ScalarMatMul()).linear(x, 0, 16, 2, 16, w, null, a, 0, 8, 8);
        new ScalarMatMul().linear(x, 0, 16, 2, 16, w, null, e, 0, 8, 8);
        assertThat(a).containsExactly(e);
    }

    @Test
    void shapesThatOverrunTheArraysAreRefused() {
        Weight w = Weight.quantizeRows(i -> 0.1, 8, 16, Arena.ofAuto());
        MatMul m = new NativeInt8MatMul(new ScalarMatMul());
        assertThatThrownBy(() -> m.linear(new float[16], 0, 16, 2, 16, w, null, new float[16], 0, 8, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of bounds");
        assertThatThrownBy(() -> m.linear(new float[32], 0, 16, 2, 16, w, null, new float[15], 0, 8, 8))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> m.linear(new float[32], 0, 16, 2, 16, w, null, new float[16], 0, 8, 9))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
