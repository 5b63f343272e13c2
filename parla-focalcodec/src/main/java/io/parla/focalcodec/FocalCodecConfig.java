package io.parla.focalcodec;

import io.parla.core.json.Json;
import io.parla.core.json.JsonException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The official {@code FocalCodec.from_config} format: {@code encoder_name}/{@code encoder_config} ...
 * {@code decoder_name}/{@code decoder_config}. Absent keys take the official class defaults.
 */
public record FocalCodecConfig(WavLMConfig encoder, FocalConfig compressor, int codebookSize,
                               FocalConfig decompressor, DecoderConfig decoder, String canonicalJson) {

    /** WavLM constructor arguments. */
    public record WavLMConfig(int[] hiddenDims, int[] kernelSizes, int[] strides, int numLayers, int dim, int ffnDim,
                              int numHeads, int numBuckets, int maxDistance, int convPos, int convPosGroups,
                              boolean causal, int windowSize, int lookaheadSize) {
        public int downsampleFactor() {
            int f = 1;
            for (int s : strides) f *= s;
            return f;
        }

        public int chunkFrames() {
            return 1 + lookaheadSize;
        }
    }

    /** FocalEncoder / FocalDecoder constructor arguments (factors = downscale or upscale factors). */
    public record FocalConfig(int inputDim, int outputDim, int[] hiddenDims, int[] factors, int focalWindow,
                              int focalLevel, int focalFactor, boolean causal, int windowSize, int lastWindowSize,
                              int lookaheadSize) {}

    /**
     * Vocos (iSTFT head) or WaveNeXt (linear head). {@code crossfadeLength} (config key {@code crossfade_length},
     * a Parla extension, 0 in every official model) applies to the causal Vocos head only: see {@code ISTFTHead}.
     */
    public record DecoderConfig(String name, int inputDim, int numLayers, int dim, int ffnDim, int kernelSize,
                                Double layerscaleInit, int nFft, int hopLength, boolean causal, int crossfadeLength) {
        public boolean isVocos() {
            return name.equals("Vocos");
        }
    }

    public static final int SAMPLE_RATE_INPUT = 16000;

    public static FocalCodecConfig load(Path dir) {
        Path file = Files.isDirectory(dir) ? dir.resolve("config.json") : dir;
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no config.json (a model directory holds config.json + model.safetensors)");
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        try {
            return parse(text, file.toString());
        } catch (JsonException e) {
            throw new ConfigException(file + ": not valid JSON: " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static FocalCodecConfig parse(String json, String source) {
        Map<String, Object> root = Json.parseObject(json);
        ConfigSection top = new ConfigSection(source, root);
        String encName = name(root, "encoder_name", "WavLM", source);
        String compName = name(root, "compressor_name", "FocalEncoder", source);
        String quantName = name(root, "quantizer_name", "BinarySphericalQuantizer", source);
        String decompName = name(root, "decompressor_name", "FocalDecoder", source);
        String decName = name(root, "decoder_name", "Vocos", source);
        top.ignore("encoder_name", "compressor_name", "quantizer_name", "decompressor_name", "decoder_name",
                "encoder_config", "compressor_config", "quantizer_config", "decompressor_config", "decoder_config",
                "model_family", "parla");
        top.requireAllRead();
        if (!encName.equals("WavLM")) throw new ConfigException(source + ": encoder_name " + encName + " is not supported (WavLM)");
        if (!compName.equals("FocalEncoder")) throw new ConfigException(source + ": compressor_name " + compName + " is not supported (FocalEncoder)");
        if (!quantName.equals("BinarySphericalQuantizer")) throw new ConfigException(source + ": quantizer_name " + quantName + " is not supported");
        if (!decompName.equals("FocalDecoder")) throw new ConfigException(source + ": decompressor_name " + decompName + " is not supported (FocalDecoder)");
        if (!decName.equals("Vocos") && !decName.equals("WaveNeXt"))
            throw new ConfigException(source + ": decoder_name " + decName + " is not supported (Vocos, WaveNeXt)");

        WavLMConfig enc = wavlm(new ConfigSection(source + ": encoder_config", (Map<String, Object>) root.get("encoder_config")));
        FocalConfig comp = focal(new ConfigSection(source + ": compressor_config", (Map<String, Object>) root.get("compressor_config")), false);
        ConfigSection q = new ConfigSection(source + ": quantizer_config", (Map<String, Object>) root.get("quantizer_config"));
        int codebook = q.integer("codebook_size", 4096, 2, 1 << 30);
        q.requireAllRead();
        if (Integer.bitCount(codebook) != 1) throw q.fail("codebook_size", "must be a power of two, got " + codebook);
        FocalConfig decomp = focal(new ConfigSection(source + ": decompressor_config", (Map<String, Object>) root.get("decompressor_config")), true);
        DecoderConfig dec = decoder(decName, new ConfigSection(source + ": decoder_config", (Map<String, Object>) root.get("decoder_config")));

        int bits = Integer.numberOfTrailingZeros(codebook);
        if (comp.outputDim() != bits)
            throw new ConfigException(source + ": compressor output_dim " + comp.outputDim() + " must equal log2(codebook_size) = " + bits);
        if (decomp.inputDim() != bits)
            throw new ConfigException(source + ": decompressor input_dim " + decomp.inputDim() + " must equal log2(codebook_size) = " + bits);
        if (comp.inputDim() != enc.dim())
            throw new ConfigException(source + ": compressor input_dim " + comp.inputDim() + " must equal encoder dim " + enc.dim());
        if (dec.inputDim() != decomp.outputDim())
            throw new ConfigException(source + ": decoder input_dim " + dec.inputDim() + " must equal decompressor output_dim " + decomp.outputDim());
        if (enc.dim() % enc.numHeads() != 0)
            throw new ConfigException(source + ": encoder dim " + enc.dim() + " is not divisible by num_heads " + enc.numHeads());
        if (enc.dim() % enc.convPosGroups() != 0)
            throw new ConfigException(source + ": encoder dim " + enc.dim() + " is not divisible by conv_pos_groups " + enc.convPosGroups());
        if (enc.hiddenDims().length != enc.kernelSizes().length || enc.kernelSizes().length != enc.strides().length)
            throw new ConfigException(source + ": encoder hidden_dims, kernel_sizes and strides must have the same length");
        return new FocalCodecConfig(enc, comp, codebook, decomp, dec, Json.write(root, 0));
    }

    private static String name(Map<String, Object> root, String key, String def, String source) {
        Object v = root.get(key);
        if (v == null) return def;
        if (!(v instanceof String s)) throw new ConfigException(source + ": " + key + " must be a string");
        return s;
    }

    private static WavLMConfig wavlm(ConfigSection c) {
        int max = ConfigSection.MAX_DIM;
        WavLMConfig w = new WavLMConfig(
                c.ints("hidden_dims", new int[] {512, 512, 512, 512, 512, 512, 512}, 1, max),
                c.ints("kernel_sizes", new int[] {10, 3, 3, 3, 3, 2, 2}, 1, 1024),
                c.ints("strides", new int[] {5, 2, 2, 2, 2, 2, 2}, 1, 1024),
                c.integer("num_layers", 6, 0, 256), c.integer("dim", 1024, 1, max), c.integer("ffn_dim", 4096, 1, max),
                c.integer("num_heads", 16, 1, 1024), c.integer("num_buckets", 320, 2, 1 << 20),
                c.integer("max_distance", 800, 1, 1 << 24), c.integer("conv_pos", 128, 1, 4096),
                c.integer("conv_pos_groups", 16, 1, max), c.bool("causal", false),
                c.integer("window_size", 512, 1, 1 << 20), c.integer("lookahead_size", 3, 0, 1024));
        c.number("dropout", 0);
        c.integer("max_cached_steps", 2048, 0, 1 << 20);
        c.bool("use_flex_attention", false);
        c.requireAllRead();
        if (w.causal() && w.windowSize() <= w.chunkFrames())
            throw c.fail("window_size", "must exceed the chunk of 1 + lookahead_size frames");
        return w;
    }

    private static FocalConfig focal(ConfigSection c, boolean decoder) {
        int max = ConfigSection.MAX_DIM;
        FocalConfig f = new FocalConfig(
                c.integer("input_dim", decoder ? 12 : 1024, 1, max), c.integer("output_dim", decoder ? 1024 : 12, 1, max),
                c.ints("hidden_dims", new int[] {1024, 1024, 1024}, 1, max),
                c.ints(decoder ? "upscale_factors" : "downscale_factors", new int[] {1, 1, 1}, 1, 64),
                c.integer("focal_window", 14, 1, 4096), c.integer("focal_level", 2, 0, 64),
                c.integer("focal_factor", 4, 0, 4096), c.bool("causal", false),
                c.integer("window_size", 512, 1, 1 << 16),
                decoder ? c.integer("last_window_size", 512, 1, 1 << 16) : 0,
                decoder ? c.integer("lookahead_size", 3, 0, 1024) : 0);
        c.number("dropout", 0);
        if (c.bool("use_post_norm", false)) throw c.fail("use_post_norm", "true is not supported (no official model uses it)");
        if (c.bool("use_layerscale", false)) throw c.fail("use_layerscale", "true is not supported (no official model uses it)");
        if (c.bool("normalize_modulator", false)) throw c.fail("normalize_modulator", "true is not supported (no official model uses it)");
        c.number("layerscale_init", 1e-4);
        c.number("tanhscale_init", 0.5);
        c.requireAllRead();
        if (f.hiddenDims().length != f.factors().length)
            throw c.fail(decoder ? "upscale_factors" : "downscale_factors", "must have one entry per hidden dim");
        return f;
    }

    private static DecoderConfig decoder(String name, ConfigSection c) {
        int max = ConfigSection.MAX_DIM;
        boolean vocos = name.equals("Vocos");
        int inputDim = c.has("input_channels") ? c.integer("input_channels", 1024, 1, max) : c.integer("input_dim", 1024, 1, max);
        c.ignore("input_channels", "padding");
        DecoderConfig d = new DecoderConfig(name, inputDim, c.integer("num_layers", 8, 0, 256),
                c.integer("dim", vocos ? 512 : 1024, 1, max), c.integer("ffn_dim", vocos ? 1536 : 2048, 1, max),
                c.integer("kernel_size", 7, 1, 1024), c.optionalNumber("layerscale_init"),
                vocos ? c.integer("n_fft", 1024, 2, 1 << 16) : 0, c.integer("hop_length", vocos ? 320 : 480, 1, 1 << 16),
                c.bool("causal", false), c.integer("crossfade_length", 0, 0, 1 << 16));
        c.requireAllRead();
        if (vocos && d.hopLength() > d.nFft()) throw c.fail("hop_length", "must not exceed n_fft");
        if (d.crossfadeLength() > 0) {
            if (!(vocos && d.causal())) throw c.fail("crossfade_length", "is a Parla extension of the causal Vocos head only");
            if (d.crossfadeLength() > Math.min(d.hopLength(), d.nFft() - d.hopLength()))
                throw c.fail("crossfade_length", "must not exceed hop_length or n_fft - hop_length");
        }
        return d;
    }

    // ------------------------------------------------------------------ derived facts

    public int codeBits() {
        return Integer.numberOfTrailingZeros(codebookSize);
    }

    public int downsampleFactor() {
        int f = encoder.downsampleFactor();
        for (int d : compressor.factors()) f *= d;
        return f;
    }

    public double tokenRate() {
        return (double) SAMPLE_RATE_INPUT / downsampleFactor();
    }

    public double bitrate() {
        return tokenRate() * codeBits();
    }

    public int sampleRateOutput() {
        return (int) ((long) SAMPLE_RATE_INPUT * decoder.hopLength() / encoder.downsampleFactor());
    }

    /** True when every stage is causal, so the model can stream. */
    public boolean causal() {
        return encoder.causal() && compressor.causal() && decompressor.causal() && decoder.causal();
    }

    /** Samples per streaming chunk (1280 = 80 ms for the official causal models). */
    public int chunkSamples() {
        return encoder.downsampleFactor() * encoder.chunkFrames();
    }

    /** Algorithmic latency in ms for causal models (chunk length), else NaN. */
    public double latencyMs() {
        return causal() ? 1000.0 * chunkSamples() / SAMPLE_RATE_INPUT : Double.NaN;
    }

    public boolean hasRefiner() {
        return decompressor.causal() && decompressor.lookaheadSize() > 0;
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("codebook_size", codebookSize);
        m.put("code_bits", codeBits());
        m.put("token_rate_hz", tokenRate());
        m.put("bitrate_bps", bitrate());
        m.put("sample_rate_input", SAMPLE_RATE_INPUT);
        m.put("sample_rate_output", sampleRateOutput());
        m.put("causal", causal());
        m.put("latency_ms", causal() ? latencyMs() : null);
        m.put("decoder", decoder.name());
        return m;
    }
}
