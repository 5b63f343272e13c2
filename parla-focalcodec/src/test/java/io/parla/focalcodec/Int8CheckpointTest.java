package io.parla.focalcodec;

import io.parla.core.nn.CheckpointMismatchException;
import io.parla.core.nn.Int8Rows;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.safetensors.SafeTensorsWriter;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Int8 checkpoints ({@link Int8Checkpoint}): the same outputs as int8 compute on the float file, a quarter of the size. */
class Int8CheckpointTest {
    @TempDir
    Path tmp;

    static List<String> cases() {
        return List.of(Golden.CASES);
    }

    static float[] sig(String c) {
        try (SafeTensors exp = Golden.expected(c)) {
            return exp.get("input.sig").toFloatArray();
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void int8FileComputesExactlyAsInt8ComputeOnTheFloatFile(String c) throws IOException {
        Path q = tmp.resolve(c);
        Int8Checkpoint.write(Golden.dir(c), q);
        float[] s = sig(c);
        try (FocalCodec mapped = FocalCodec.load(q); FocalCodec converted = FocalCodec.load(Golden.dir(c), DType.I8);
             FocalCodec f32 = FocalCodec.load(Golden.dir(c))) {
            int[] toks = mapped.sigToToks(s);
            assertThat(toks).containsExactly(converted.sigToToks(s));
            float[] a = mapped.toksToSig(toks), b = converted.toksToSig(toks);
            // Arrays.equals, not containsExactly: AssertJ's diff of two long float arrays is quadratic
            assertThat(java.util.Arrays.equals(a, b)).as("audio identical (rel. error %s)", Golden.relError(a, b)).isTrue();
            // the matrices really are int8 in the file, and the file is much smaller
            long i8 = mapped.weightsFile().tensors().values().stream().filter(t -> t.dtype() == DType.I8).count();
            assertThat(i8).isEqualTo(FocalCodec.rowMatrixNames(f32.config()).size());
            assertThat(Files.size(q.resolve("model.safetensors")))
                    .isLessThan(Files.size(Golden.dir(c).resolve("model.safetensors")) / 2);
            // computing in F32 from the int8 file dequantises: close to, not equal to, the float model
            try (FocalCodec widened = FocalCodec.load(q, DType.F32)) {
                assertThat(Golden.relError(widened.toksToSig(toks), f32.toksToSig(toks))).isGreaterThan(0).isLessThan(0.1);
            }
        }
    }

    @Test
    void missingOrMisshapedScalesAreNamed() throws IOException {
        String c = "tiny_causal_50hz_2k";
        Path q = tmp.resolve("q");
        Int8Checkpoint.write(Golden.dir(c), q);
        String victim = FocalCodec.rowMatrixNames(FocalCodecConfig.load(q)).iterator().next();

        Path noScale = rewrite(q, tmp.resolve("no-scale"), t -> t.name().equals(victim + Int8Rows.SCALE_SUFFIX) ? null : t);
        assertThatThrownBy(() -> FocalCodec.load(noScale)).isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining(noScale.resolve("model.safetensors").toString())
                .hasMessageContaining(victim + " is I8 but " + victim + ":scale (its row scales) is missing");

        Path shortScale = rewrite(q, tmp.resolve("short-scale"), t -> t.name().equals(victim + Int8Rows.SCALE_SUFFIX)
                ? Tensor.ofFloats(t.name(), new float[] {1f}, 1) : t);
        assertThatThrownBy(() -> FocalCodec.load(shortScale)).isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining(victim + ":scale is F32[1], expected F32[");

        assertThatThrownBy(() -> Int8Checkpoint.write(q, tmp.resolve("twice")))
                .hasMessageContaining("already an int8 checkpoint");
    }

    /** A copy of a model directory with each tensor mapped (null drops it). */
    static Path rewrite(Path from, Path to, UnaryOperator<Tensor> map) throws IOException {
        Files.createDirectories(to);
        Files.copy(from.resolve("config.json"), to.resolve("config.json"));
        try (SafeTensors st = SafeTensors.open(from.resolve("model.safetensors"))) {
            List<SafeTensorsWriter.Entry> out = new ArrayList<>();
            for (Tensor t : st.tensors().values()) {
                Tensor m = map.apply(t);
                if (m == null) continue;
                out.add(SafeTensorsWriter.copyOf(m, m.dtype()));
            }
            SafeTensorsWriter.write(to.resolve("model.safetensors"), st.metadata(), out);
        }
        return to;
    }
}
