package io.parla.focalcodec;

import io.parla.core.tensor.DType;
import io.parla.core.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the v0.0.1 checkpoint layout onto v0.0.2 names. v0.0.1 is recognised by separate
 * {@code q_proj/k_proj/v_proj} attention weights (concatenated here into {@code qkv_proj}) and used
 * {@code Sequential} children in the focal layers ({@code layers.i.0 / layers.i.1}). Its unused final
 * {@code encoder.encoder.norm} and {@code quantizer.mask} are dropped.
 */
public final class CheckpointLayout {
    private static final Pattern COMP = Pattern.compile("^compressor\\.layers\\.(\\d+)\\.(0|1)\\.(.*)$");
    private static final Pattern DECOMP = Pattern.compile("^decompressor\\.layers\\.(\\d+)\\.(0|1)\\.(.*)$");

    private CheckpointLayout() {}

    public static boolean isV001(Map<String, Tensor> tensors) {
        for (String k : tensors.keySet())
            if (k.contains(".q_proj") || k.contains(".k_proj") || k.contains(".v_proj")) return true;
        return false;
    }

    public static Map<String, Tensor> toV002(Map<String, Tensor> tensors, Arena arena) {
        if (!isV001(tensors)) return tensors;
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("encoder.encoder.norm.") || k.equals("quantizer.mask")) continue;
            if (k.contains(".q_proj.")) {
                String qkv = k.replace(".q_proj.", ".qkv_proj.");
                Tensor q = e.getValue(), kk = tensors.get(k.replace(".q_proj.", ".k_proj.")),
                        v = tensors.get(k.replace(".q_proj.", ".v_proj."));
                if (kk == null || v == null) {
                    out.put(k, q);
                    continue;
                }
                out.put(qkv, concat(qkv, arena, q, kk, v));
                continue;
            }
            if (k.contains(".k_proj.") || k.contains(".v_proj.")) {
                if (tensors.containsKey(k.replace(".k_proj.", ".q_proj.").replace(".v_proj.", ".q_proj."))) continue;
                out.put(k, e.getValue());
                continue;
            }
            String name = rename(k);
            out.put(name, rename(e.getValue(), name));
        }
        return out;
    }

    static String rename(String k) {
        Matcher m = COMP.matcher(k);
        if (m.matches()) {
            String i = m.group(1), rest = m.group(3);
            if (m.group(2).equals("1")) return "compressor.layers." + i + ".focal_block." + rest;
            return "compressor.layers." + i + ".downscale." + rest; // downscale.* and activation.alpha
        }
        m = DECOMP.matcher(k);
        if (m.matches()) {
            String i = m.group(1), rest = m.group(3);
            if (m.group(2).equals("0")) return "decompressor.layers." + i + ".focal_block." + rest;
            return "decompressor.layers." + i + ".upscale." + rest;
        }
        return k;
    }

    private static Tensor rename(Tensor t, String name) {
        return name.equals(t.name()) ? t : new Tensor(name, t.dtype(), t.shape(), t.data());
    }

    private static Tensor concat(String name, Arena arena, Tensor... parts) {
        int rows = 0;
        int[] shape = parts[0].shape();
        for (Tensor p : parts) rows += p.dim(0);
        shape[0] = rows;
        DType dt = parts[0].dtype();
        long bytes = 0;
        for (Tensor p : parts) bytes += p.data().byteSize();
        MemorySegment seg = arena.allocate(bytes, 64);
        long off = 0;
        for (Tensor p : parts) {
            if (p.dtype() != dt) throw new IllegalArgumentException(name + ": q/k/v dtypes differ");
            MemorySegment.copy(p.data(), 0, seg, off, p.data().byteSize());
            off += p.data().byteSize();
        }
        return new Tensor(name, dt, shape, seg);
    }
}
