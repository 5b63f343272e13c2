package io.parla.core.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The optional native int8 kernel ({@code src/main/c/parla_int8.c}): int8 weights times activations quantised
 * to int8 per row, on AVX-512 VNNI or AVX2, through the FFM API. Present when the build machine had gcc (the
 * library is then inside this jar) and usable when this CPU has AVX2; {@link #unavailableReason()} says why not
 * otherwise. Both instruction sets compute the same integer sums, so the same output bits. {@code
 * -Dparla.nativeLib=PATH} loads a library built elsewhere; {@code -Dparla.int8.isa=avx2} keeps a VNNI machine on
 * the AVX2 kernel.
 *
 * <p>Heap arrays are passed straight to the kernel (critical downcalls with heap access): the calls are short and
 * never block, so pinning is cheaper than copying activations in and out of native memory.
 */
public final class NativeInt8 {
    private static final String RESOURCE = "native/linux-x86_64/libparla_int8.so";
    private static final MethodHandle QUANTIZE, GEMM_VNNI, GEMM_AVX2;
    private static final String UNAVAILABLE;
    private static final Isa BEST;

    /** The instruction sets of the kernel, in the order of preference. */
    public enum Isa {
        AVX2("AVX2"), AVX512_VNNI("AVX-512 VNNI");

        private final String label;

        Isa(String label) {
            this.label = label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static {
        MethodHandle quantize = null, vnni = null, avx2 = null;
        String why = null;
        Isa best = null;
        try {
            Path lib = library();
            if (lib == null) {
                why = "not built into this jar (no gcc on the build machine, or not x86-64 Linux)";
            } else {
                Linker linker = Linker.nativeLinker();
                SymbolLookup symbols = SymbolLookup.libraryLookup(lib, Arena.global());
                // mapped now: a private copy extracted from the jar is not needed on disk any more
                if (System.getProperty("parla.nativeLib") == null) Files.deleteIfExists(lib);
                var isa = linker.downcallHandle(symbols.findOrThrow("parla_int8_isa"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT));
                int level = (int) isa.invokeExact();
                if ("avx2".equals(System.getProperty("parla.int8.isa"))) level = Math.min(level, 1);
                if (level == 0) {
                    why = "this CPU has neither AVX2 nor AVX-512 VNNI";
                } else {
                    best = level == 2 ? Isa.AVX512_VNNI : Isa.AVX2;
                    var critical = Linker.Option.critical(true);
                    var L = ValueLayout.JAVA_LONG;
                    var A = ValueLayout.ADDRESS;
                    var rowBytes = linker.downcallHandle(symbols.findOrThrow("parla_int8_row_bytes"), FunctionDescriptor.of(L, L));
                    if ((long) rowBytes.invokeExact(100L) != rowBytes(100))
                        throw new IllegalStateException("the library pads activation rows differently from this class");
                    quantize = linker.downcallHandle(symbols.findOrThrow("parla_int8_quantize"),
                            FunctionDescriptor.ofVoid(A, L, L, L, A, L, A), critical);
                    var gemm = FunctionDescriptor.ofVoid(A, L, A, L, L, A, A, A, A, L, L, L);
                    avx2 = linker.downcallHandle(symbols.findOrThrow("parla_int8_gemm_avx2"), gemm, critical);
                    if (level == 2)
                        vnni = linker.downcallHandle(symbols.findOrThrow("parla_int8_gemm_vnni"), gemm, critical);
                }
            }
        } catch (Throwable e) {
            why = "could not be loaded: " + e;
            quantize = vnni = avx2 = null;
            best = null;
        }
        QUANTIZE = quantize;
        GEMM_VNNI = vnni;
        GEMM_AVX2 = avx2;
        UNAVAILABLE = why;
        BEST = best;
    }

    private NativeInt8() {}

    public static boolean available() {
        return UNAVAILABLE == null;
    }

    /** The instruction set the kernel uses by default on this CPU, or {@code null} when it is unavailable. */
    public static Isa bestIsa() {
        return BEST;
    }

    /** Whether this CPU runs the kernel's {@code isa} version. */
    public static boolean supports(Isa isa) {
        return BEST != null && BEST.compareTo(isa) >= 0;
    }

    /** Why the kernel cannot be used here, or {@code null} when it can. */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** Bytes of one quantised activation row: {@code in} rounded up to whole 64-byte vectors (parla_int8_row_bytes). */
    static long rowBytes(long in) {
        return (in + 63) & ~63L;
    }

    /**
     * Quantises {@code rows} rows of {@code x} (row t at {@code xOff + t * xStride}, {@code in} values) into
     * {@code q} (row stride {@code qStride} bytes) and their scales into {@code scales}.
     */
    static void quantize(float[] x, int xOff, int xStride, int rows, int in, MemorySegment q, long qStride,
                         MemorySegment scales) {
        try {
            QUANTIZE.invokeExact(MemorySegment.ofArray(x).asSlice((long) xOff * 4), (long) xStride, (long) rows, (long) in,
                    q, qStride, scales);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    /** Output columns {@code [o0, o1)} of the product of quantised rows and an I8 weight (see the C source). */
    static void gemm(Isa isa, MemorySegment q, long qStride, MemorySegment xScales, int rows, int in, Weight w,
                     MemorySegment bias, float[] y, int yOff, int yStride, int o0, int o1) {
        MemorySegment b = bias == null ? MemorySegment.NULL : bias;
        try {
            (isa == Isa.AVX512_VNNI ? GEMM_VNNI : GEMM_AVX2).invokeExact(q, qStride, xScales, (long) rows, (long) in, w.data(), w.scales(),
                    b, MemorySegment.ofArray(y).asSlice((long) yOff * 4),
                    (long) yStride, (long) o0, (long) o1);
        } catch (Throwable e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) return r;
        if (e instanceof Error err) throw err;
        return new IllegalStateException(e);
    }

    private static Path library() throws IOException {
        String explicit = System.getProperty("parla.nativeLib");
        if (explicit != null) return Path.of(explicit);
        if (!"amd64".equals(System.getProperty("os.arch")) || !System.getProperty("os.name", "").startsWith("Linux"))
            return null;
        try (InputStream in = NativeInt8.class.getResourceAsStream(RESOURCE)) {
            if (in == null) return null;
            // a private copy per process: a library cannot be mapped from inside a jar
            Path tmp = Files.createTempFile("parla_int8", ".so");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }
}
