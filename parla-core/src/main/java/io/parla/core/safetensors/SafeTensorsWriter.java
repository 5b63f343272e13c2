package io.parla.core.safetensors;

import io.parla.core.json.Json;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes safetensors files. Data is streamed tensor by tensor (a full-size random checkpoint of 1 GB is
 * never held in memory) to a temporary file that replaces the target only when complete.
 */
public final class SafeTensorsWriter {
    /** A tensor to write: its bytes come from {@code source} on demand. */
    public record Entry(String name, DType dtype, int[] shape, Source source) {}

    /** Fills a little-endian buffer with the tensor's bytes, in order, one call per chunk. */
    @FunctionalInterface
    public interface Source {
        void fill(long firstElement, ByteBuffer out);
    }

    private SafeTensorsWriter() {}

    public static void write(Path file, Map<String, String> metadata, List<Entry> entries) throws IOException {
        Map<String, Object> header = new LinkedHashMap<>();
        if (metadata != null && !metadata.isEmpty()) header.put("__metadata__", new LinkedHashMap<>(metadata));
        long offset = 0;
        for (Entry e : entries) {
            long bytes = Tensor.numel(e.shape()) * e.dtype().bytes;
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", e.dtype().name());
            List<Object> shape = new ArrayList<>();
            for (int d : e.shape()) shape.add((long) d);
            info.put("shape", shape);
            info.put("data_offsets", List.of(offset, offset + bytes));
            header.put(e.name(), info);
            offset += bytes;
        }
        byte[] json = Json.write(header, 0).getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
            head.putLong(padded).put(json);
            while (head.hasRemaining()) head.put((byte) ' ');
            head.flip();
            while (head.hasRemaining()) ch.write(head);
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (Entry e : entries) {
                long n = Tensor.numel(e.shape());
                int per = buf.capacity() / e.dtype().bytes;
                for (long first = 0; first < n; first += per) {
                    int count = (int) Math.min(per, n - first);
                    buf.clear();
                    buf.limit(count * e.dtype().bytes);
                    e.source().fill(first, buf);
                    if (buf.hasRemaining())
                        throw new IllegalStateException("source of " + e.name() + " did not fill its chunk");
                    buf.flip();
                    while (buf.hasRemaining()) ch.write(buf);
                }
            }
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** An entry that copies an existing tensor, converting floats to {@code dtype}. */
    public static Entry copyOf(Tensor t, DType dtype) {
        return new Entry(t.name(), dtype, t.shape(), (first, out) -> {
            long i = first;
            while (out.hasRemaining()) {
                putElement(out, dtype, t, i++);
            }
        });
    }

    public static Entry ofFloats(String name, float[] values, int... shape) {
        return new Entry(name, DType.F32, shape, (first, out) -> {
            long i = first;
            while (out.hasRemaining()) out.putFloat(values[(int) i++]);
        });
    }

    public static Entry ofLongs(String name, long[] values, int... shape) {
        return new Entry(name, DType.I64, shape, (first, out) -> {
            long i = first;
            while (out.hasRemaining()) out.putLong(values[(int) i++]);
        });
    }

    /** {@code v} encoded as an F32, F16 or BF16 element. */
    public static void putFloat(ByteBuffer out, DType dtype, float v) {
        switch (dtype) {
            case F32 -> out.putFloat(v);
            case F16 -> out.putShort(Float.floatToFloat16(v));
            case BF16 -> out.putShort(toBf16(v));
            default -> throw new IllegalArgumentException("not a floating-point type: " + dtype);
        }
    }

    static void putElement(ByteBuffer out, DType dtype, Tensor t, long i) {
        switch (dtype) {
            case F32, F16, BF16 -> putFloat(out, dtype, t.getFloat(i));
            case I64 -> out.putLong(t.getLong(i));
            case I8 -> {
                if (t.dtype() != DType.I8) throw new IllegalArgumentException("cannot convert " + t.dtype() + " to I8");
                out.put(t.data().get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            }
            default -> throw new IllegalArgumentException("cannot write " + dtype);
        }
    }

    /** Round-to-nearest-even conversion to bfloat16 bits (NaN kept quiet). */
    public static short toBf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if ((bits & 0x7fffffff) > 0x7f800000) return (short) ((bits >>> 16) | 0x40);
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }

}
