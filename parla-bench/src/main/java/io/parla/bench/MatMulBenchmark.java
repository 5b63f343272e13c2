package io.parla.bench;

import io.parla.core.kernels.MatMul;
import io.parla.core.kernels.NativeInt8;
import io.parla.core.kernels.NativeInt8MatMul;
import io.parla.core.kernels.ScalarMatMul;
import io.parla.core.kernels.VectorMatMul;
import io.parla.core.kernels.Weight;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * {@code y = x W^T + b} through {@link MatMul#linear} for the shapes the models run: GEMV (1 or 4 rows: one
 * streaming step) and GEMM (500 rows: 10 s offline at 50 Hz) against {@code out x in} weight matrices of
 * WavLM's attention (1024x1024) and feed-forward (4096x1024 up, 1024x4096 down), F32, BF16 or I8.
 * {@code -p kernel=native-vnni,native-avx2 -p weights=I8} adds the native int8 kernel (int8 activations), where the
 * CPU runs it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 5, time = 2) // Vector API code is ~1000x slower until C2 compiles it: warm up generously
@Measurement(iterations = 5, time = 1)
public class MatMulBenchmark {
    @Param({"vector", "scalar"})
    public String kernel;

    @Param({"F32", "BF16", "I8"})
    public String weights;

    @Param({"1", "4", "500"})
    public int rows;

    /** {@code out x in}, the PyTorch Linear weight shape. */
    @Param({"1024x1024", "4096x1024", "1024x4096"})
    public String shape;

    private Arena arena;
    private MatMul mm;
    private Weight w;
    private MemorySegment bias;
    private float[] x, y;
    private int in, out;

    @Setup(Level.Trial)
    public void setup() {
        String[] d = shape.split("x");
        out = Integer.parseInt(d[0]);
        in = Integer.parseInt(d[1]);
        mm = switch (kernel) {
            case "scalar" -> new ScalarMatMul();
            case "vector" -> new VectorMatMul();
            case "native-vnni" -> new NativeInt8MatMul(new VectorMatMul(), NativeInt8.Isa.AVX512_VNNI);
            case "native-avx2" -> new NativeInt8MatMul(new VectorMatMul(), NativeInt8.Isa.AVX2);
            default -> throw new IllegalArgumentException("kernel: scalar, vector, native-vnni or native-avx2, not " + kernel);
        };
        DType dtype = DType.valueOf(weights);
        arena = Arena.ofShared();
        SplittableRandom r = new SplittableRandom(42);
        float scale = (float) (1 / Math.sqrt(in));
        if (dtype == DType.I8) {
            w = Weight.quantizeRows(i -> scale * Math.sin(0.7 * i + 0.3 * (i % 13)), out, in, arena);
        } else {
            MemorySegment data = arena.allocate((long) out * in * dtype.bytes, 64);
            for (long i = 0; i < (long) out * in; i++) Weight.put(data, dtype, i, scale * (float) (2 * r.nextDouble() - 1));
            w = new Weight(data, dtype, out, in);
        }
        bias = arena.allocate((long) out * 4, 64);
        for (int o = 0; o < out; o++) bias.setAtIndex(Tensor.F32_LE, o, 0.01f * o / out);
        x = new float[rows * in];
        for (int i = 0; i < x.length; i++) x[i] = (float) (2 * r.nextDouble() - 1);
        y = new float[rows * out];
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public float[] linear() {
        mm.linear(x, 0, in, rows, in, w, bias, y, 0, out, out);
        return y;
    }
}
