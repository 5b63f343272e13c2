package io.parla.core.safetensors;

import io.parla.core.json.Json;
import io.parla.core.json.JsonException;
import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A memory-mapped safetensors file: 8-byte little-endian header length N, N bytes of JSON
 * ({@code name -> {dtype, shape, data_offsets}}, optional {@code __metadata__}), then the raw data.
 *
 * <p>Everything in the header is validated before any tensor is exposed: the header length against the
 * file size, every dtype, shape and byte range against the data section, and ranges against each other
 * (no overlaps). Tensors are views of the mapping, so opening a 1 GB checkpoint costs no heap.
 */
public final class SafeTensors implements AutoCloseable {
    /** Headers are JSON text; anything this large is not a real checkpoint header. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Path file;
    private final Arena arena;
    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private SafeTensors(Path file, Arena arena, Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.file = file;
        this.arena = arena;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Maps {@code file} read-only, shared across threads, until {@link #close()}. */
    public static SafeTensors open(Path file) {
        return open(file, Arena.ofShared());
    }

    /** Maps {@code file} into {@code arena}; the caller owns the arena's lifetime. */
    public static SafeTensors open(Path file, Arena arena) {
        MemorySegment all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) throw new SafeTensorsException(file, "file is " + size + " bytes, too short for a safetensors header");
            all = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        } catch (NoSuchFileException e) {
            throw new SafeTensorsException(file, "no such file");
        } catch (IOException e) {
            throw new SafeTensorsException(file, "cannot read: " + e.getMessage(), e);
        }
        return parse(file, all, arena);
    }

    static SafeTensors parse(Path file, MemorySegment all, Arena arena) {
        long size = all.byteSize();
        long n = all.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0);
        if (n <= 0 || n > size - 8)
            throw new SafeTensorsException(file, "header length " + n + " does not fit a file of " + size + " bytes");
        if (n > MAX_HEADER_BYTES)
            throw new SafeTensorsException(file, "header length " + n + " exceeds the " + MAX_HEADER_BYTES + "-byte limit");
        byte[] hb = all.asSlice(8, n).toArray(ValueLayout.JAVA_BYTE);
        Map<String, Object> header;
        try {
            header = Json.parseObject(new String(hb, StandardCharsets.UTF_8));
        } catch (JsonException e) {
            throw new SafeTensorsException(file, "corrupt header JSON: " + e.getMessage());
        }
        long dataStart = 8 + n;
        long dataSize = size - dataStart;
        MemorySegment data = all.asSlice(dataStart, dataSize);

        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        List<String> rangeNames = new ArrayList<>();
        for (Map.Entry<String, Object> e : header.entrySet()) {
            String name = e.getKey();
            if (name.equals("__metadata__")) {
                if (!(e.getValue() instanceof Map<?, ?> m))
                    throw new SafeTensorsException(file, "__metadata__ is not an object");
                for (Map.Entry<?, ?> me : m.entrySet())
                    metadata.put(String.valueOf(me.getKey()), String.valueOf(me.getValue()));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info))
                throw new SafeTensorsException(file, "entry '" + name + "' is not an object");
            DType dtype = info.get("dtype") instanceof String ds ? DType.parse(ds) : null;
            if (dtype == null)
                throw new SafeTensorsException(file, "tensor '" + name + "' has unknown dtype " + info.get("dtype"));
            int[] shape = intList(file, name, "shape", info.get("shape"), -1);
            long[] off = longPair(file, name, info.get("data_offsets"));
            if (off[0] < 0 || off[1] < off[0] || off[1] > dataSize)
                throw new SafeTensorsException(file, "tensor '" + name + "' byte range [" + off[0] + ", " + off[1]
                        + ") lies outside the " + dataSize + "-byte data section");
            long numel;
            try {
                numel = Tensor.numel(shape);
                Math.multiplyExact(numel, dtype.bytes);
            } catch (ArithmeticException ex) {
                throw new SafeTensorsException(file, "tensor '" + name + "' shape overflows");
            }
            if (off[1] - off[0] != numel * dtype.bytes)
                throw new SafeTensorsException(file, "tensor '" + name + "' has " + (off[1] - off[0]) + " bytes but "
                        + dtype + java.util.Arrays.toString(shape) + " needs " + numel * dtype.bytes);
            ranges.add(off);
            rangeNames.add(name);
            tensors.put(name, new Tensor(name, dtype, shape, data.asSlice(off[0], off[1] - off[0])));
        }
        Integer[] order = new Integer[ranges.size()];
        for (int k = 0; k < order.length; k++) order[k] = k;
        java.util.Arrays.sort(order, Comparator.comparingLong((Integer k) -> ranges.get(k)[0]).thenComparingLong(k -> ranges.get(k)[1]));
        for (int k = 1; k < order.length; k++) {
            long[] a = ranges.get(order[k - 1]);
            long[] b = ranges.get(order[k]);
            if (b[0] < a[1] && b[1] > b[0] && a[1] > a[0])
                throw new SafeTensorsException(file, "tensors '" + rangeNames.get(order[k - 1]) + "' and '"
                        + rangeNames.get(order[k]) + "' overlap");
        }
        return new SafeTensors(file, arena, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(metadata));
    }

    private static int[] intList(Path file, String name, String key, Object v, int expectedLen) {
        if (!(v instanceof List<?> l))
            throw new SafeTensorsException(file, "tensor '" + name + "' has no " + key + " list");
        if (l.size() > 16) throw new SafeTensorsException(file, "tensor '" + name + "' has rank " + l.size());
        int[] out = new int[l.size()];
        for (int k = 0; k < out.length; k++) {
            if (!(l.get(k) instanceof Long x) || x < 0 || x > Integer.MAX_VALUE)
                throw new SafeTensorsException(file, "tensor '" + name + "' has invalid " + key + " " + l);
            out[k] = (int) (long) x;
        }
        return out;
    }

    private static long[] longPair(Path file, String name, Object v) {
        if (!(v instanceof List<?> l) || l.size() != 2 || !(l.get(0) instanceof Long a) || !(l.get(1) instanceof Long b))
            throw new SafeTensorsException(file, "tensor '" + name + "' has invalid data_offsets " + v);
        return new long[] {a, b};
    }

    public Path file() { return file; }
    public Map<String, Tensor> tensors() { return tensors; }
    public Map<String, String> metadata() { return metadata; }
    public Arena arena() { return arena; }

    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) throw new SafeTensorsException(file, "no tensor named '" + name + "'");
        return t;
    }

    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    @Override
    public void close() {
        arena.close();
    }

    /** True if {@code file} starts like a safetensors file (used to sniff formats). */
    public static boolean looksLikeSafeTensors(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(9);
            return b.length == 9 && b[8] == '{';
        }
    }
}
