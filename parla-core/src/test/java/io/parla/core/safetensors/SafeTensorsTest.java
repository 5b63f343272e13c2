package io.parla.core.safetensors;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private Path raw(String header, int dataBytes) throws IOException {
        return rawWithLength(header, header.getBytes(StandardCharsets.UTF_8).length, dataBytes);
    }

    private Path rawWithLength(String header, long declared, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(declared).put(h);
        Path p = dir.resolve("m.safetensors");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void roundTripsF32F16Bf16AndI64() throws IOException {
        Path p = dir.resolve("a.safetensors");
        float[] v = {1.5f, -2.25f, 3e-3f, 65504f, -0f, 0.1f};
        Tensor src = Tensor.ofFloats("w", v, 2, 3);
        SafeTensorsWriter.write(p, Map.of("k", "v"), List.of(
                SafeTensorsWriter.copyOf(src, DType.F32), rename(SafeTensorsWriter.copyOf(src, DType.F16), "h"),
                rename(SafeTensorsWriter.copyOf(src, DType.BF16), "b"), SafeTensorsWriter.ofLongs("i", new long[] {7, -1}, 2)));
        try (SafeTensors st = SafeTensors.open(p)) {
            assertThat(st.metadata()).containsEntry("k", "v");
            assertThat(st.get("w").toFloatArray()).containsExactly(v);
            assertThat(st.get("h").dtype()).isEqualTo(DType.F16);
            float[] h = st.get("h").toFloatArray(), b = st.get("b").toFloatArray();
            for (int i = 0; i < v.length; i++) {
                assertThat(h[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) * 1e-3f + 1e-7f));
                assertThat(b[i]).isCloseTo(v[i], org.assertj.core.data.Offset.offset(Math.abs(v[i]) * 8e-3f + 1e-7f));
            }
            assertThat(st.get("i").toLongArray()).containsExactly(7, -1);
            assertThat(st.get("b").toF32(st.arena()).toFloatArray()).containsExactly(b);
        }
    }

    private static SafeTensorsWriter.Entry rename(SafeTensorsWriter.Entry e, String name) {
        return new SafeTensorsWriter.Entry(name, e.dtype(), e.shape(), e.source());
    }

    @Test
    void rejectsHeaderLengthBeyondTheFile() throws IOException {
        Path p = rawWithLength("{}", 1 << 20, 0);
        assertThatThrownBy(() -> SafeTensors.open(p)).isInstanceOf(SafeTensorsException.class)
                .hasMessageContaining(p.toString()).hasMessageContaining("header length 1048576 does not fit");
    }

    @Test
    void rejectsNegativeHeaderLength() throws IOException {
        Path p = rawWithLength("{}", -5, 0);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("header length -5");
    }

    @Test
    void rejectsTooShortFile() throws IOException {
        Path p = dir.resolve("short.safetensors");
        Files.write(p, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("too short");
    }

    @Test
    void rejectsCorruptJson() throws IOException {
        Path p = raw("{\"a\": {\"dtype\": \"F32\", ", 0);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("corrupt header JSON");
    }

    @Test
    void rejectsOutOfRangeOffsets() throws IOException {
        Path p = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", 8);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("'a'").hasMessageContaining("outside the 8-byte data section");
    }

    @Test
    void rejectsOverlappingTensors() throws IOException {
        Path p = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("overlap");
    }

    @Test
    void rejectsDtypeShapeSizeMismatch() throws IOException {
        Path p = raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,12]}}", 12);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("'a' has 12 bytes but F16[3] needs 6");
    }

    @Test
    void rejectsUnknownDtypeAndBadShape() throws IOException {
        Path p = raw("{\"a\":{\"dtype\":\"Q4\",\"shape\":[3],\"data_offsets\":[0,12]}}", 12);
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessageContaining("unknown dtype Q4");
        Path q = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[-3],\"data_offsets\":[0,12]}}", 12);
        assertThatThrownBy(() -> SafeTensors.open(q)).hasMessageContaining("invalid shape");
        Path r = raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,12]}}", 12);
        assertThatThrownBy(() -> SafeTensors.open(r)).isInstanceOf(SafeTensorsException.class);
    }

    @Test
    void missingFileIsNamed() {
        Path p = dir.resolve("nope.safetensors");
        assertThatThrownBy(() -> SafeTensors.open(p)).hasMessage(p + ": no such file");
    }

    @Test
    void randomCorruptionsOnlyEverGiveSafeTensorsException() throws IOException {
        Path good = dir.resolve("g.safetensors");
        SafeTensorsWriter.write(good, Map.of(), List.of(SafeTensorsWriter.ofFloats("x", new float[12], 3, 4),
                SafeTensorsWriter.ofFloats("y", new float[5], 5)));
        byte[] bytes = Files.readAllBytes(good);
        Random r = new Random(42);
        for (int it = 0; it < 2000; it++) {
            byte[] b = bytes.clone();
            int len = r.nextInt(4) == 0 ? r.nextInt(b.length + 1) : b.length;
            for (int k = 0; k < 1 + r.nextInt(4); k++) b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            Path p = dir.resolve("c.safetensors");
            Files.write(p, java.util.Arrays.copyOf(b, len));
            try (SafeTensors st = SafeTensors.open(p)) {
                for (Tensor t : st.tensors().values()) if (t.dtype().isFloat()) t.toFloatArray();
            } catch (SafeTensorsException expected) {
                assertThat(expected.getMessage()).startsWith(p.toString());
            }
        }
    }
}
