package io.parla.train.model;

import io.parla.core.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An official-layout FocalCodec {@code config.json} ({@code encoder_name}, {@code encoder_config}, ...), with
 * typed accessors that fall back to the official class defaults for absent keys. The raw map is kept so that
 * the file can be written back unchanged (plus whatever keys were set).
 */
public final class CodecConfig {
    private final Map<String, Object> raw;

    public CodecConfig(Map<String, Object> raw) {
        this.raw = deepCopy(raw);
        for (String k : List.of("encoder_config", "compressor_config", "quantizer_config", "decompressor_config",
                "decoder_config")) {
            if (!(this.raw.get(k) instanceof Map)) throw new IllegalArgumentException("config.json lacks object '" + k + "'");
        }
        String dec = decoderName();
        if (!dec.equals("Vocos") && !dec.equals("WaveNeXt"))
            throw new IllegalArgumentException("unsupported decoder_name " + dec + " (expected Vocos or WaveNeXt)");
        if (!encoderName().equals("WavLM")) throw new IllegalArgumentException("unsupported encoder_name " + encoderName());
    }

    public static CodecConfig read(Path file) throws IOException {
        return new CodecConfig(Json.parseObject(Files.readString(file)));
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, Json.write(raw, 2) + "\n");
    }

    public Map<String, Object> raw() { return deepCopy(raw); }

    public String encoderName() { return (String) raw.getOrDefault("encoder_name", "WavLM"); }
    public String decoderName() { return (String) raw.getOrDefault("decoder_name", "WaveNeXt"); }

    @SuppressWarnings("unchecked")
    public Section section(String name) { return new Section((Map<String, Object>) raw.get(name + "_config")); }

    public Section enc() { return section("encoder"); }
    public Section comp() { return section("compressor"); }
    public Section decomp() { return section("decompressor"); }
    public Section dec() { return section("decoder"); }

    public int codebookSize() { return section("quantizer").i("codebook_size", 4096); }
    public int codeDim() { return 31 - Integer.numberOfLeadingZeros(codebookSize()); }

    /** Frames per second of the encoder features (always 50 at 16 kHz input). */
    public int encoderHop() {
        int p = 1;
        for (int s : enc().ints("strides", 5, 2, 2, 2, 2, 2, 2)) p *= s;
        return p;
    }

    public int decoderHop() { return dec().i("hop_length", decoderName().equals("Vocos") ? 320 : 480); }
    public int sampleRateOutput() { return 16000 * decoderHop() / encoderHop(); }

    /** True when every stage is causal (the codec can stream). */
    public boolean fullyCausal() {
        return enc().b("causal", false) && comp().b("causal", false) && decomp().b("causal", false) && dec().b("causal", false);
    }

    /** Returns a copy with one key of one section changed. */
    public CodecConfig with(String section, String key, Object value) {
        Map<String, Object> m = raw();
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) m.get(section + "_config");
        s.put(key, value);
        return new CodecConfig(m);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (var e : m.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> mm) v = deepCopy((Map<String, Object>) mm);
            else if (v instanceof List<?> l) v = new ArrayList<>(l);
            out.put(e.getKey(), v);
        }
        return out;
    }

    /** The structural keys of the compressor or decompressor (FocalEncoder / FocalDecoder). */
    public record FocalStack(Section s, boolean causal, int[] hidden, int[] factors, int window, int lastWindow) {}

    public FocalStack compStack() { return stack(comp(), "downscale_factors"); }
    public FocalStack decompStack() { return stack(decomp(), "upscale_factors"); }

    private static FocalStack stack(Section s, String factorKey) {
        return new FocalStack(s, s.b("causal", false), s.ints("hidden_dims", 1024, 1024, 1024), s.ints(factorKey, 1, 1, 1),
                s.i("window_size", 512), s.i("last_window_size", 512));
    }

    /** One {@code *_config} object. */
    public record Section(Map<String, Object> m) {
        public int i(String k, int def) {
            Object v = m.get(k);
            return v instanceof Number n ? n.intValue() : def;
        }
        public double d(String k, double def) {
            Object v = m.get(k);
            return v instanceof Number n ? n.doubleValue() : def;
        }
        public boolean b(String k, boolean def) {
            Object v = m.get(k);
            return v instanceof Boolean bb ? bb : def;
        }
        public boolean has(String k) { return m.get(k) != null; }
        public int[] ints(String k, int... def) {
            Object v = m.get(k);
            if (!(v instanceof List<?> l)) return def;
            int[] r = new int[l.size()];
            for (int j = 0; j < r.length; j++) r[j] = ((Number) l.get(j)).intValue();
            return r;
        }
    }
}
