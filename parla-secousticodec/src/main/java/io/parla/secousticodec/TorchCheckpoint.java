package io.parla.secousticodec;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A restricted reader for PyTorch {@code torch.save} files (zip archive {@code <name>/data.pkl} +
 * {@code <name>/data/<key>} storages) that hold state dicts of tensors.
 *
 * <p>Pickle is a program, not a data format: a general unpickler runs arbitrary callables. This one is an
 * interpreter for the handful of opcodes a state dict needs and knows exactly five kinds of global:
 * {@code torch._utils._rebuild_tensor_v2}, {@code collections.OrderedDict} and the typed storages
 * ({@code torch.FloatStorage, HalfStorage, BFloat16Storage, DoubleStorage, LongStorage, IntStorage}).
 * {@code REDUCE} only calls those two functions; {@code BUILD} only attaches state to an OrderedDict
 * (torch's {@code _metadata}); everything else is refused with an error naming the opcode and its offset.
 * It never recurses (containers are built on an explicit stack with bounded depth), never allocates from a
 * size it has not checked against the file, and reads storages only after matching their declared size
 * with the zip directory.
 */
public final class TorchCheckpoint {
    static final long MAX_PICKLE_BYTES = 64L << 20;
    static final int MAX_STRING_BYTES = 1 << 20;
    static final int MAX_STACK = 1 << 20;
    static final int MAX_MARK_DEPTH = 64;
    static final int MAX_MEMO = 1 << 20;
    static final int MAX_RANK = 16;
    static final long MAX_TOTAL_STORAGE_BYTES = 32L << 30;

    private final Path file;
    private final Object root;

    private TorchCheckpoint(Path file, Object root) {
        this.file = file;
        this.root = root;
    }

    /** Thrown for anything this reader does not accept; the message names the file and the reason. */
    public static final class TorchCheckpointException extends RuntimeException {
        TorchCheckpointException(String msg) {
            super(msg);
        }

        TorchCheckpointException(String msg, Throwable cause) {
            super(msg, cause);
        }
    }

    // ------------------------------------------------------------------ pickle object model

    private enum Global { REBUILD_TENSOR_V2, ORDERED_DICT, STORAGE }

    private record GlobalRef(Global kind, DType dtype, String name) {}

    private record StorageRef(String key, DType dtype, long numel) {}

    private record TensorRef(StorageRef storage, long offset, int[] shape, long[] stride) {}

    private record Mark() {}

    private static final Mark MARK = new Mark();
    private static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private static GlobalRef resolveGlobal(String module, String name, int pos) {
        String full = module + "." + name;
        switch (full) {
            case "torch._utils._rebuild_tensor_v2": return new GlobalRef(Global.REBUILD_TENSOR_V2, null, full);
            case "collections.OrderedDict": return new GlobalRef(Global.ORDERED_DICT, null, full);
            case "torch.FloatStorage": return new GlobalRef(Global.STORAGE, DType.F32, full);
            case "torch.HalfStorage": return new GlobalRef(Global.STORAGE, DType.F16, full);
            case "torch.BFloat16Storage": return new GlobalRef(Global.STORAGE, DType.BF16, full);
            case "torch.DoubleStorage": return new GlobalRef(Global.STORAGE, DType.F64, full);
            case "torch.LongStorage": return new GlobalRef(Global.STORAGE, DType.I64, full);
            case "torch.IntStorage": return new GlobalRef(Global.STORAGE, DType.I32, full);
            default:
                throw new TorchCheckpointException("pickle GLOBAL '" + full + "' at offset " + pos
                        + " is not allowed (only tensor rebuilding, OrderedDict and typed storages are)");
        }
    }

    /** The interpreter. Works on a byte array already bounded by {@link #MAX_PICKLE_BYTES}. */
    static Object unpickle(byte[] p) {
        ByteBuffer b = ByteBuffer.wrap(p).order(ByteOrder.LITTLE_ENDIAN);
        ArrayList<Object> stack = new ArrayList<>();
        ArrayList<Integer> marks = new ArrayList<>();
        HashMap<Long, Object> memo = new HashMap<>();
        while (true) {
            if (!b.hasRemaining()) throw new TorchCheckpointException("pickle ends without STOP");
            int pos = b.position();
            int op = b.get() & 0xff;
            switch (op) {
                case 0x80 -> {  // PROTO
                    int v = u8(b, pos);
                    if (v < 2 || v > 5) throw new TorchCheckpointException("unsupported pickle protocol " + v);
                }
                case 0x95 -> {  // FRAME: a length hint only
                    need(b, 8, pos);
                    b.getLong();
                }
                case '.' -> {  // STOP
                    if (stack.size() != 1 || !marks.isEmpty())
                        throw new TorchCheckpointException("pickle STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                case '}' -> push(stack, new LinkedHashMap<>());  // EMPTY_DICT
                case ')' -> push(stack, List.of());  // EMPTY_TUPLE
                case '(' -> {  // MARK
                    if (marks.size() >= MAX_MARK_DEPTH) throw new TorchCheckpointException("pickle nesting deeper than " + MAX_MARK_DEPTH);
                    marks.add(stack.size());
                    push(stack, MARK);
                }
                case 'X' -> {  // BINUNICODE
                    need(b, 4, pos);
                    push(stack, string(b, b.getInt() & 0xffffffffL, pos));
                }
                case 0x8c -> push(stack, string(b, u8(b, pos), pos));  // SHORT_BINUNICODE
                case 'c' -> {  // GLOBAL module\nname\n
                    String module = line(b, pos), name = line(b, pos);
                    push(stack, resolveGlobal(module, name, pos));
                }
                case 0x93 -> {  // STACK_GLOBAL
                    Object name = pop(stack, pos, op), module = pop(stack, pos, op);
                    if (!(module instanceof String m) || !(name instanceof String n))
                        throw new TorchCheckpointException("STACK_GLOBAL at offset " + pos + " needs two strings");
                    push(stack, resolveGlobal(m, n, pos));
                }
                case 'Q' -> push(stack, persistentId(pop(stack, pos, op), pos));  // BINPERSID
                case 't' -> push(stack, List.copyOf(popToMark(stack, marks, pos)));  // TUPLE
                case 0x85, 0x86, 0x87 -> {  // TUPLE1..3
                    int n = op - 0x84;
                    Object[] items = new Object[n];
                    for (int i = n - 1; i >= 0; i--) items[i] = pop(stack, pos, op);
                    for (Object o : items) if (o == MARK) throw new TorchCheckpointException("TUPLE" + n + " over a MARK at offset " + pos);
                    push(stack, Arrays.asList(items));
                }
                case 'R' -> {  // REDUCE
                    Object args = pop(stack, pos, op), fn = pop(stack, pos, op);
                    push(stack, reduce(fn, args, pos));
                }
                case 'b' -> {  // BUILD: only torch's OrderedDict._metadata state is accepted (and dropped)
                    Object state = pop(stack, pos, op);
                    Object target = peek(stack, pos, op);
                    if (!(target instanceof OrderedMap) || !(state instanceof Map<?, ?>))
                        throw new TorchCheckpointException("BUILD at offset " + pos + " is only accepted on an OrderedDict");
                }
                case 's' -> {  // SETITEM
                    Object v = pop(stack, pos, op), k = pop(stack, pos, op);
                    put(peek(stack, pos, op), k, v, pos);
                }
                case 'u' -> {  // SETITEMS
                    List<Object> kv = popToMark(stack, marks, pos);
                    if (kv.size() % 2 != 0) throw new TorchCheckpointException("SETITEMS with an odd item count at offset " + pos);
                    Object target = peek(stack, pos, op);
                    for (int i = 0; i < kv.size(); i += 2) put(target, kv.get(i), kv.get(i + 1), pos);
                }
                case 'q' -> memoPut(memo, u8(b, pos), stack, pos);  // BINPUT
                case 'r' -> memoPut(memo, u32(b, pos), stack, pos);  // LONG_BINPUT
                case 0x94 -> memoPut(memo, memo.size(), stack, pos);  // MEMOIZE
                case 'h' -> push(stack, memoGet(memo, u8(b, pos), pos));  // BINGET
                case 'j' -> push(stack, memoGet(memo, u32(b, pos), pos));  // LONG_BINGET
                case 'J' -> {  // BININT
                    need(b, 4, pos);
                    push(stack, (long) b.getInt());
                }
                case 'K' -> push(stack, (long) u8(b, pos));  // BININT1
                case 'M' -> {  // BININT2
                    need(b, 2, pos);
                    push(stack, (long) (b.getShort() & 0xffff));
                }
                case 0x8a -> {  // LONG1 (up to 8 bytes, little-endian two's complement)
                    int n = u8(b, pos);
                    if (n > 8) throw new TorchCheckpointException("LONG1 of " + n + " bytes at offset " + pos + " is too large");
                    need(b, n, pos);
                    long v = 0;
                    for (int i = 0; i < n; i++) v |= (long) (b.get() & 0xff) << (8 * i);
                    if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) v |= -1L << (8 * n);
                    push(stack, v);
                }
                case 'G' -> {  // BINFLOAT (big-endian)
                    need(b, 8, pos);
                    push(stack, Double.longBitsToDouble(Long.reverseBytes(b.getLong())));
                }
                case 'N' -> push(stack, NONE);
                case 0x88 -> push(stack, Boolean.TRUE);
                case 0x89 -> push(stack, Boolean.FALSE);
                default -> throw new TorchCheckpointException(String.format(
                        "pickle opcode 0x%02x%s at offset %d is not allowed in a state-dict checkpoint", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "", pos));
            }
        }
    }

    /** A dict built by {@code collections.OrderedDict()} (BUILD is accepted only on these). */
    private static final class OrderedMap extends LinkedHashMap<Object, Object> {}

    private static Object reduce(Object fn, Object args, int pos) {
        if (!(fn instanceof GlobalRef g) || !(args instanceof List<?> a))
            throw new TorchCheckpointException("REDUCE at offset " + pos + " needs an allowed global and an argument tuple");
        switch (g.kind()) {
            case ORDERED_DICT -> {
                if (!a.isEmpty()) throw new TorchCheckpointException("OrderedDict with arguments at offset " + pos);
                return new OrderedMap();
            }
            case REBUILD_TENSOR_V2 -> {
                if (a.size() != 6 && a.size() != 7)
                    throw new TorchCheckpointException("_rebuild_tensor_v2 with " + a.size() + " arguments at offset " + pos);
                if (!(a.get(0) instanceof StorageRef st) || !(a.get(1) instanceof Long off)
                        || !(a.get(2) instanceof List<?> size) || !(a.get(3) instanceof List<?> stride)
                        || !(a.get(4) instanceof Boolean) || !(a.get(5) instanceof Map<?, ?> hooks) || !hooks.isEmpty()
                        || (a.size() == 7 && a.get(6) != NONE && !(a.get(6) instanceof Map<?, ?> md && md.isEmpty())))
                    throw new TorchCheckpointException("malformed _rebuild_tensor_v2 arguments at offset " + pos);
                if (size.size() > MAX_RANK || stride.size() != size.size())
                    throw new TorchCheckpointException("tensor rank " + size.size() + " / stride rank " + stride.size() + " at offset " + pos);
                int[] shape = new int[size.size()];
                long[] str = new long[size.size()];
                for (int i = 0; i < shape.length; i++) {
                    if (!(size.get(i) instanceof Long d) || d < 0 || d > Integer.MAX_VALUE
                            || !(stride.get(i) instanceof Long s) || s < 0)
                        throw new TorchCheckpointException("invalid tensor size/stride at offset " + pos);
                    shape[i] = (int) (long) d;
                    str[i] = s;
                }
                if (off < 0) throw new TorchCheckpointException("negative storage offset at offset " + pos);
                return new TensorRef(st, off, shape, str);
            }
            default -> throw new TorchCheckpointException("REDUCE of '" + g.name() + "' at offset " + pos + " is not allowed");
        }
    }

    private static StorageRef persistentId(Object pid, int pos) {
        if (!(pid instanceof List<?> t) || t.size() != 5 || !"storage".equals(t.get(0))
                || !(t.get(1) instanceof GlobalRef g) || g.kind() != Global.STORAGE || !(t.get(2) instanceof String key)
                || !(t.get(3) instanceof String) || !(t.get(4) instanceof Long numel) || numel < 0)
            throw new TorchCheckpointException("BINPERSID at offset " + pos + " is not a ('storage', type, key, location, numel) tuple");
        if (key.isEmpty() || key.length() > 64 || !key.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c == '_'))
            throw new TorchCheckpointException("storage key '" + key + "' at offset " + pos + " is not a plain record name");
        return new StorageRef(key, g.dtype(), numel);
    }

    @SuppressWarnings("unchecked")
    private static void put(Object target, Object k, Object v, int pos) {
        if (!(target instanceof Map<?, ?>)) throw new TorchCheckpointException("SETITEM(S) on a non-dict at offset " + pos);
        if (!(k instanceof String)) throw new TorchCheckpointException("dict key " + k + " at offset " + pos + " is not a string");
        if (v == MARK) throw new TorchCheckpointException("MARK used as a value at offset " + pos);
        ((Map<Object, Object>) target).put(k, v);
    }

    private static void push(ArrayList<Object> stack, Object o) {
        if (stack.size() >= MAX_STACK) throw new TorchCheckpointException("pickle stack exceeds " + MAX_STACK + " entries");
        stack.add(o);
    }

    private static Object pop(ArrayList<Object> stack, int pos, int op) {
        if (stack.isEmpty()) throw new TorchCheckpointException(String.format("pickle stack underflow at offset %d (opcode 0x%02x)", pos, op));
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) throw new TorchCheckpointException(String.format("unexpected MARK at offset %d (opcode 0x%02x)", pos, op));
        return o;
    }

    private static Object peek(ArrayList<Object> stack, int pos, int op) {
        if (stack.isEmpty()) throw new TorchCheckpointException(String.format("pickle stack underflow at offset %d (opcode 0x%02x)", pos, op));
        return stack.get(stack.size() - 1);
    }

    private static List<Object> popToMark(ArrayList<Object> stack, ArrayList<Integer> marks, int pos) {
        if (marks.isEmpty()) throw new TorchCheckpointException("no MARK before offset " + pos);
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private static void memoPut(HashMap<Long, Object> memo, long idx, ArrayList<Object> stack, int pos) {
        if (memo.size() >= MAX_MEMO) throw new TorchCheckpointException("pickle memo exceeds " + MAX_MEMO + " entries");
        Object top = peek(stack, pos, 'q');
        if (top == MARK) throw new TorchCheckpointException("memoising a MARK at offset " + pos);
        memo.put(idx, top);
    }

    private static Object memoGet(HashMap<Long, Object> memo, long idx, int pos) {
        Object o = memo.get(idx);
        if (o == null) throw new TorchCheckpointException("memo entry " + idx + " read at offset " + pos + " was never stored");
        return o;
    }

    private static void need(ByteBuffer b, long n, int pos) {
        if (n > b.remaining()) throw new TorchCheckpointException("pickle truncated: opcode at offset " + pos + " needs " + n
                + " more bytes, " + b.remaining() + " left");
    }

    private static int u8(ByteBuffer b, int pos) {
        need(b, 1, pos);
        return b.get() & 0xff;
    }

    private static long u32(ByteBuffer b, int pos) {
        need(b, 4, pos);
        return b.getInt() & 0xffffffffL;
    }

    private static String string(ByteBuffer b, long n, int pos) {
        if (n > MAX_STRING_BYTES) throw new TorchCheckpointException("string of " + n + " bytes at offset " + pos + " exceeds the limit");
        need(b, n, pos);
        byte[] s = new byte[(int) n];
        b.get(s);
        return new String(s, StandardCharsets.UTF_8);
    }

    private static String line(ByteBuffer b, int pos) {
        int start = b.position();
        for (int i = start; i < b.limit() && i - start <= 256; i++) {
            if (b.get(i) == '\n') {
                byte[] s = new byte[i - start];
                b.get(s);
                b.get();
                return new String(s, StandardCharsets.US_ASCII);
            }
        }
        throw new TorchCheckpointException("GLOBAL at offset " + pos + " has no newline-terminated name");
    }

    // ------------------------------------------------------------------ archive

    /** Parses {@code file}; tensors are materialised by {@link #stateDict}. */
    public static TorchCheckpoint read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String prefix = null;
            Enumeration<? extends ZipEntry> en = zip.entries();
            while (en.hasMoreElements()) {
                String n = en.nextElement().getName();
                if (n.endsWith("/data.pkl") && n.indexOf('/') == n.length() - "/data.pkl".length()) {
                    if (prefix != null) throw new TorchCheckpointException(file + ": more than one data.pkl");
                    prefix = n.substring(0, n.length() - "data.pkl".length());
                }
            }
            if (prefix == null) throw new TorchCheckpointException(file + ": no <name>/data.pkl (not a torch.save zip archive)");
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String order = new String(readEntry(zip, bo, 16, file), StandardCharsets.US_ASCII).trim();
                if (!order.equals("little")) throw new TorchCheckpointException(file + ": byte order '" + order + "' is not supported");
            }
            byte[] pkl = readEntry(zip, zip.getEntry(prefix + "data.pkl"), MAX_PICKLE_BYTES, file);
            Object root;
            try {
                root = unpickle(pkl);
            } catch (TorchCheckpointException e) {
                throw new TorchCheckpointException(file + ": " + e.getMessage(), e);
            }
            Map<String, MemorySegment> storages = loadStorages(zip, prefix, root, file);
            return new TorchCheckpoint(file, materialise(root, storages, file));
        } catch (ZipException e) {
            throw new TorchCheckpointException(file + ": not a readable zip archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new TorchCheckpointException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads a whole entry, refusing one that declares or turns out to be larger than {@code max} bytes. */
    private static byte[] readEntry(ZipFile zip, ZipEntry e, long max, Path file) throws IOException {
        long size = e.getSize();
        if (size > max) throw new TorchCheckpointException(file + ": entry " + e.getName() + " has " + size + " bytes, limit " + max);
        try (InputStream in = zip.getInputStream(e)) {
            byte[] data = in.readNBytes((int) Math.min(max, size >= 0 ? size : max) + (size >= 0 ? 0 : 1));
            if (size < 0 && data.length > max) throw new TorchCheckpointException(file + ": entry " + e.getName() + " exceeds " + max + " bytes");
            if (size >= 0 && data.length != size)
                throw new TorchCheckpointException(file + ": entry " + e.getName() + " is truncated (" + data.length + " of " + size + " bytes)");
            return data;
        }
    }

    private static void collectStorages(Object o, Map<String, StorageRef> out, Path file) {
        // the object graph is at most MAX_MARK_DEPTH deep in containers built with MARK, plus plain dict nesting;
        // walk it iteratively to keep the recursion bounded as well
        ArrayList<Object> todo = new ArrayList<>(List.of(o));
        java.util.Set<Object> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        while (!todo.isEmpty()) {
            Object x = todo.remove(todo.size() - 1);
            if (!seen.add(x)) continue;  // shared or self-referencing containers (memo) are visited once
            if (x instanceof TensorRef t) {
                StorageRef prev = out.putIfAbsent(t.storage().key(), t.storage());
                if (prev != null && (prev.dtype() != t.storage().dtype() || prev.numel() != t.storage().numel()))
                    throw new TorchCheckpointException(file + ": storage " + prev.key() + " is declared twice differently");
            } else if (x instanceof Map<?, ?> m) {
                todo.addAll(m.values());
            } else if (x instanceof List<?> l) {
                todo.addAll(l);
            }
        }
    }

    private static Map<String, MemorySegment> loadStorages(ZipFile zip, String prefix, Object root, Path file) throws IOException {
        Map<String, StorageRef> refs = new LinkedHashMap<>();
        collectStorages(root, refs, file);
        Map<String, MemorySegment> out = new HashMap<>();
        Arena arena = Arena.ofAuto();
        long total = 0;
        for (StorageRef r : refs.values()) {
            ZipEntry e = zip.getEntry(prefix + "data/" + r.key());
            if (e == null) throw new TorchCheckpointException(file + ": storage record data/" + r.key() + " is missing");
            long bytes;
            try {
                bytes = Math.multiplyExact(r.numel(), r.dtype().bytes);
            } catch (ArithmeticException ex) {
                throw new TorchCheckpointException(file + ": storage " + r.key() + " size overflows");
            }
            if (e.getSize() != bytes)
                throw new TorchCheckpointException(file + ": storage " + r.key() + " declares " + r.numel() + " x " + r.dtype()
                        + " = " + bytes + " bytes but its record has " + e.getSize());
            // never allocate more than the archive can really hold: stored records are at most their compressed
            // size, deflated ones at most ~1032x (deflate's maximal ratio)
            long cap = e.getMethod() == ZipEntry.STORED ? e.getCompressedSize() : e.getCompressedSize() * 1032L + 64;
            total += bytes;
            if (bytes > cap || total > MAX_TOTAL_STORAGE_BYTES)
                throw new TorchCheckpointException(file + ": storage " + r.key() + " claims " + bytes
                        + " bytes, more than its " + e.getCompressedSize() + "-byte record can hold (or the total limit)");
            MemorySegment seg = arena.allocate(Math.max(bytes, 1), 64).asSlice(0, bytes);
            try (InputStream in = zip.getInputStream(e)) {
                byte[] buf = new byte[1 << 16];
                long done = 0;
                while (done < bytes) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, bytes - done));
                    if (n < 0) throw new TorchCheckpointException(file + ": storage " + r.key() + " is truncated at " + done + " of " + bytes + " bytes");
                    MemorySegment.copy(MemorySegment.ofArray(buf), 0, seg, done, n);
                    done += n;
                }
            }
            out.put(r.key(), seg);
        }
        return out;
    }

    /** Replaces every TensorRef by a {@link Tensor} (a view of its storage; C-contiguous only). */
    private static Object materialise(Object root, Map<String, MemorySegment> storages, Path file) {
        return materialise(root, storages, file, 0);
    }

    private static Object materialise(Object root, Map<String, MemorySegment> storages, Path file, int depth) {
        if (depth > MAX_MARK_DEPTH)
            throw new TorchCheckpointException(file + ": dicts nested deeper than " + MAX_MARK_DEPTH + " (or self-referencing)");
        if (root instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String name = (String) e.getKey();
                Object v = e.getValue();
                if (v instanceof TensorRef t) out.put(name, tensor(name, t, storages, file));
                else if (v instanceof Map<?, ?>) out.put(name, materialise(v, storages, file, depth + 1));
                else out.put(name, v);
            }
            return out;
        }
        return root;
    }

    private static Tensor tensor(String name, TensorRef t, Map<String, MemorySegment> storages, Path file) {
        long numel;
        try {
            numel = Tensor.numel(t.shape());
        } catch (ArithmeticException e) {
            throw new TorchCheckpointException(file + ": tensor " + name + " shape overflows");
        }
        long expect = 1;
        for (int i = t.shape().length - 1; i >= 0; i--) {
            if (t.shape()[i] != 1 && t.stride()[i] != expect)
                throw new TorchCheckpointException(file + ": tensor " + name + " is not contiguous (shape "
                        + Arrays.toString(t.shape()) + ", stride " + Arrays.toString(t.stride()) + ")");
            expect *= t.shape()[i];
        }
        StorageRef s = t.storage();
        if (t.offset() > s.numel() || numel > s.numel() - t.offset())
            throw new TorchCheckpointException(file + ": tensor " + name + " (offset " + t.offset() + ", " + numel
                    + " elements) lies outside its storage of " + s.numel());
        int es = s.dtype().bytes;
        return new Tensor(name, s.dtype(), t.shape(), storages.get(s.key()).asSlice(t.offset() * es, numel * es));
    }

    /**
     * The state dict: the top-level dict, or the dict stored under {@code wrapperKey} if the top level has
     * that key (the official codec checkpoints may wrap the state dict as {@code {'model': ...}}). Every
     * value must be a tensor.
     */
    public Map<String, Tensor> stateDict(String wrapperKey) {
        Object o = root;
        if (wrapperKey != null && o instanceof Map<?, ?> m && m.get(wrapperKey) instanceof Map<?, ?> inner) o = inner;
        if (!(o instanceof Map<?, ?> m))
            throw new TorchCheckpointException(file + ": the pickled object is not a dict");
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getValue() instanceof Tensor t))
                throw new TorchCheckpointException(file + ": entry '" + e.getKey() + "' is not a tensor");
            out.put((String) e.getKey(), t);
        }
        return out;
    }
}
