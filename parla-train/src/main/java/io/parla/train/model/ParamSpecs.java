package io.parla.train.model;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Names, shapes and initialisers of every parameter of a config, in official registration order. Used to create
 * a model from scratch and to validate checkpoints against a config.
 */
public final class ParamSpecs {
    private ParamSpecs() {}

    /** How a tensor is initialised when training from scratch. */
    public enum Init { FAN_IN_UNIFORM, ZEROS, ONES, NORMAL, CONST }

    /** One parameter: shape, initialiser, fan-in (for uniform) or value (for const / normal std). */
    public record Spec(long[] shape, Init init, double arg) {}

    public static Map<String, Spec> of(CodecConfig cfg) {
        Map<String, Spec> s = new LinkedHashMap<>();
        encoder(cfg, s);
        compressor(cfg, s);
        decompressor(cfg, s);
        decoder(cfg, s);
        return s;
    }

    private static void lin(Map<String, Spec> s, String pre, long out, long in) {
        s.put(pre + ".weight", new Spec(new long[] {out, in}, Init.FAN_IN_UNIFORM, in));
        s.put(pre + ".bias", new Spec(new long[] {out}, Init.FAN_IN_UNIFORM, in));
    }

    private static void conv(Map<String, Spec> s, String pre, long out, long inPerGroup, long k, boolean bias) {
        s.put(pre + ".weight", new Spec(new long[] {out, inPerGroup, k}, Init.FAN_IN_UNIFORM, inPerGroup * k));
        if (bias) s.put(pre + ".bias", new Spec(new long[] {out}, Init.FAN_IN_UNIFORM, inPerGroup * k));
    }

    private static void ln(Map<String, Spec> s, String pre, long c) {
        s.put(pre + ".weight", new Spec(new long[] {c}, Init.ONES, 0));
        s.put(pre + ".bias", new Spec(new long[] {c}, Init.ZEROS, 0));
    }

    static void encoder(CodecConfig cfg, Map<String, Spec> s) {
        var e = cfg.enc();
        int[] hid = e.ints("hidden_dims", 512, 512, 512, 512, 512, 512, 512);
        int[] ks = e.ints("kernel_sizes", 10, 3, 3, 3, 3, 2, 2);
        long dim = e.i("dim", 1024), ffn = e.i("ffn_dim", 4096), H = e.i("num_heads", 16);
        long in = 1;
        for (int i = 0; i < hid.length; i++) {
            String pre = "encoder.feature_extractor.layers." + i;
            conv(s, pre + ".conv", hid[i], in, ks[i], false);
            ln(s, pre + ".norm", hid[i]);
            in = hid[i];
        }
        ln(s, "encoder.norm", in);
        lin(s, "encoder.feature_proj", dim, in);
        int k = e.i("conv_pos", 128), g = e.i("conv_pos_groups", 16);
        conv(s, "encoder.encoder.positional_embedding.conv", dim, dim / g, k, true);
        s.put("encoder.encoder.relative_embedding.weight", new Spec(new long[] {e.i("num_buckets", 320), H}, Init.NORMAL, 0.02));
        for (int l = 0; l < e.i("num_layers", 6); l++) {
            String pre = "encoder.encoder.layers." + l;
            ln(s, pre + ".attention_norm", dim);
            s.put(pre + ".attention.gru_rel_pos_const", new Spec(new long[] {1, H, 1, 1}, Init.ONES, 0));
            lin(s, pre + ".attention.qkv_proj", 3 * dim, dim);
            lin(s, pre + ".attention.out_proj", dim, dim);
            lin(s, pre + ".attention.gru_rel_pos_linear", 8, dim / H);
            ln(s, pre + ".feed_forward_norm", dim);
            lin(s, pre + ".feed_forward.in_proj", ffn, dim);
            lin(s, pre + ".feed_forward.out_proj", dim, ffn);
        }
    }

    static void focalBlock(Map<String, Spec> s, String pre, long C, CodecConfig.Section sec, boolean causal, int window) {
        int L = sec.i("focal_level", 2), fw = sec.i("focal_window", 14), ff = sec.i("focal_factor", 4);
        double tanh = sec.d("tanhscale_init", 0.5);
        for (String n : new String[] {".modulation_norm", ".feed_forward_norm"}) {
            if (causal) s.put(pre + n + ".alpha", new Spec(new long[] {1}, Init.CONST, tanh));
            else ln(s, pre + n, C);
        }
        String m = pre + ".modulation";
        lin(s, m + ".in_proj", 2 * C + L + 1, C);
        for (int l = 0; l < L; l++) conv(s, m + ".layers." + l + ".0", C, 1, (long) ff * l + fw, true);
        if (causal) conv(s, m + ".layers." + L + ".0", C, 1, window, true);
        conv(s, m + ".context_proj", C, C, 1, true);
        lin(s, m + ".out_proj", C, C);
        lin(s, pre + ".feed_forward.in_proj", 4 * C, C);
        lin(s, pre + ".feed_forward.out_proj", C, 4 * C);
    }

    static void compressor(CodecConfig cfg, Map<String, Spec> s) {
        var st = cfg.compStack();
        var c = st.s();
        int[] hid = st.hidden(), f = st.factors();
        long in = c.i("input_dim", 1024);
        for (int i = 0; i < hid.length; i++) {
            String pre = "compressor.layers." + i;
            conv(s, pre + ".downscale.downscale", hid[i], in, f[i], true);
            s.put(pre + ".downscale.activation.alpha", new Spec(new long[] {hid[i], 1}, Init.ONES, 0));
            focalBlock(s, pre + ".focal_block", hid[i], c, st.causal(), st.window());
            in = hid[i];
        }
        lin(s, "compressor.out_proj", c.i("output_dim", cfg.codeDim()), in);
    }

    static void decompressor(CodecConfig cfg, Map<String, Spec> s) {
        var st = cfg.decompStack();
        var c = st.s();
        boolean causal = st.causal();
        int[] hid = st.hidden(), u = st.factors();
        int out = c.i("output_dim", 1024);
        lin(s, "decompressor.in_proj", hid[0], c.i("input_dim", cfg.codeDim()));
        for (int i = 0; i < hid.length; i++) {
            String pre = "decompressor.layers." + i;
            long next = i + 1 < hid.length ? hid[i + 1] : out;
            focalBlock(s, pre + ".focal_block", hid[i], c, causal,
                    i == hid.length - 1 ? st.lastWindow() : st.window());
            s.put(pre + ".upscale.activation.alpha", new Spec(new long[] {hid[i], 1}, Init.ONES, 0));
            s.put(pre + ".upscale.upscale.weight", new Spec(new long[] {hid[i], next, u[i]}, Init.FAN_IN_UNIFORM, next * u[i]));
            s.put(pre + ".upscale.upscale.bias", new Spec(new long[] {next}, Init.FAN_IN_UNIFORM, next * u[i]));
        }
        int look = c.i("lookahead_size", 3);
        if (causal && look > 0) {
            long E = (long) out * (1 + look);
            lin(s, "decompressor.refiner.in_proj", E, E);
            lin(s, "decompressor.refiner.out_proj", E, E);
        }
    }

    static void decoder(CodecConfig cfg, Map<String, Spec> s) {
        var d = cfg.dec();
        boolean vocos = cfg.decoderName().equals("Vocos");
        long in = d.i("input_dim", 1024), layers = d.i("num_layers", 8);
        long dim = d.i("dim", vocos ? 512 : 1024), ffn = d.i("ffn_dim", vocos ? 1536 : 2048), k = d.i("kernel_size", 7);
        double gamma = d.has("layerscale_init") ? d.d("layerscale_init", 0) : 1.0 / layers;
        String bb = "decoder.backbone";
        conv(s, bb + ".embedding", dim, in, k, true);
        ln(s, bb + ".input_norm", dim);
        for (int l = 0; l < layers; l++) {
            String pre = bb + ".layers." + l;
            s.put(pre + ".gamma", new Spec(new long[] {dim}, Init.CONST, gamma));
            conv(s, pre + ".dwconv", dim, 1, k, true);
            ln(s, pre + ".norm", dim);
            lin(s, pre + ".pwconv1", ffn, dim);
            lin(s, pre + ".pwconv2", dim, ffn);
        }
        ln(s, bb + ".output_norm", dim);
        lin(s, "decoder.head.proj", vocos ? d.i("n_fft", 1024) + 2 : d.i("hop_length", 480), dim);
    }

    public static long count(Map<String, Spec> specs) {
        long n = 0;
        for (Spec sp : specs.values()) {
            long k = 1;
            for (long d : sp.shape()) k *= d;
            n += k;
        }
        return n;
    }
}
