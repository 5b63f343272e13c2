package io.parla.secousticodec;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Builds PyTorch {@code torch.save}-style files byte by byte (there is no torch here): a protocol-2
 * pickle assembled opcode by opcode exactly as torch's pickler lays out a state dict (OrderedDict via
 * REDUCE, SETITEMS, {@code _rebuild_tensor_v2} with BINPERSID storages, BINPUT/BINGET memo, BUILD with
 * {@code _metadata}), plus stored zip records {@code archive/data/N}.
 */
final class PtFiles {
    private PtFiles() {}

    /** Opcode-level pickle assembler. */
    static final class Pickle {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private int memo;

        Pickle op(int... bytes) {
            for (int b : bytes) out.write(b);
            return this;
        }

        Pickle str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            u32(b.length);
            out.writeBytes(b);
            return this;
        }

        Pickle u32(long v) {
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)) & 0xff);
            return this;
        }

        Pickle global(String module, String name) {
            op('c');
            out.writeBytes((module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        /** BINPUT of the next memo slot; returns the slot. */
        int put() {
            if (memo < 256) op('q', memo);
            else op('r').u32(memo);  // LONG_BINPUT
            return memo++;
        }

        Pickle integer(long v) {
            if (v >= 0 && v < 256) return op('K', (int) v);
            op('J');
            return u32(v);
        }

        Pickle tuple(long... v) {
            if (v.length == 0) return op(')');
            op('(');
            for (long x : v) integer(x);
            return op('t');
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    private static String storageType(DType d) {
        return switch (d) {
            case F32 -> "FloatStorage";
            case F16 -> "HalfStorage";
            case BF16 -> "BFloat16Storage";
            case I64 -> "LongStorage";
            case F64 -> "DoubleStorage";
            case I32 -> "IntStorage";
            default -> throw new IllegalArgumentException(d.toString());
        };
    }

    /** The pickle of a state dict (keys → storages "0", "1", ...), optionally wrapped as {'model': sd}. */
    static byte[] statePickle(Map<String, Tensor> sd, boolean wrapInModel) {
        Pickle p = new Pickle();
        p.op(0x80, 2);
        if (wrapInModel) {
            p.op('}');
            p.put();
            p.str("model");
            p.put();
        }
        p.global("collections", "OrderedDict");
        int od = p.put();
        p.op(')', 'R');
        p.put();
        p.op('(');
        int rebuild = -1, key = 0;
        Map<DType, Integer> storageGlobals = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : sd.entrySet()) {
            Tensor t = e.getValue();
            p.str(e.getKey());
            p.put();
            if (rebuild < 0) {
                p.global("torch._utils", "_rebuild_tensor_v2");
                rebuild = p.put();
            } else {
                p.op('h', rebuild);
            }
            p.op('(', '(');  // MARK of the rebuild arguments, MARK of the persistent id
            p.str("storage");
            Integer sg = storageGlobals.get(t.dtype());
            if (sg == null) {
                p.global("torch", storageType(t.dtype()));
                storageGlobals.put(t.dtype(), p.put());
            } else {
                p.op('h', sg);
            }
            p.str(Integer.toString(key++)).str("cpu").integer(t.numel()).op('t');
            p.put();
            p.op('Q');
            int[] shape = t.shape();
            long[] size = new long[shape.length], stride = new long[shape.length];
            long s = 1;
            for (int i = shape.length - 1; i >= 0; i--) {
                size[i] = shape[i];
                stride[i] = s;
                s *= shape[i];
            }
            p.integer(0).tuple(size).tuple(stride).op(0x89);  // offset, size, stride, requires_grad=False
            p.op('h', od).op(')', 'R');  // backward_hooks = OrderedDict()
            p.op('t', 'R');
            p.put();
        }
        p.op('u');
        // torch's state_dict()._metadata, attached with BUILD
        p.op('}').str("_metadata").op('h', od).op(')', 'R').op('(').str("").op('}').str("version").integer(1)
                .op('s', 'u', 's', 'b');
        if (wrapInModel) p.op('s');
        p.op('.');
        return p.bytes();
    }

    /** Raw little-endian bytes of a tensor. */
    static byte[] data(Tensor t) {
        return t.data().toArray(ValueLayout.JAVA_BYTE);
    }

    /** Writes a torch-style zip: archive/data.pkl, archive/data/N (stored, as torch does), version, byteorder. */
    static void writeArchive(Path file, byte[] pickle, Map<String, byte[]> records) throws IOException {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            stored(z, "archive/data.pkl", pickle);
            stored(z, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (Map.Entry<String, byte[]> e : records.entrySet()) stored(z, "archive/data/" + e.getKey(), e.getValue());
            stored(z, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void stored(ZipOutputStream z, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        z.putNextEntry(e);
        z.write(data);
        z.closeEntry();
    }

    /** A complete .pt file holding {@code sd}. */
    static void write(Path file, Map<String, Tensor> sd, boolean wrapInModel) throws IOException {
        Map<String, byte[]> records = new LinkedHashMap<>();
        int k = 0;
        for (Tensor t : sd.values()) records.put(Integer.toString(k++), data(t));
        writeArchive(file, statePickle(sd, wrapInModel), records);
    }
}
