package io.parla.secousticodec;

import io.parla.core.json.Json;
import io.parla.core.json.JsonException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Hyper-parameters of a SecoustiCodec model, read from a Parla {@code config.json} (format described in
 * {@code docs/secousticodec.md}). Every field has the released model's value as default, so the
 * smallest valid file is {@code {"model_family": "secousticodec", "seanet": {"ratios": [2, 2]}}};
 * unknown keys are rejected (a misspelt key must not silently fall back to a default).
 */
public record SecoustiConfig(
        int sampleRate, int nMels, int latentDim, int[] fsqLevels,
        Mel mel, Seanet seanet, Transformer transformer, Paralinguistic paralinguistic, Vocoder vocoder) {

    public static final String MODEL_FAMILY = "secousticodec";
    public static final int FORMAT_VERSION = 1;

    /** Log-mel front end (CosyVoice/HiFi-GAN recipe; Slaney mel scale and area normalisation). */
    public record Mel(int nFft, int hop, int win, double fmin, double fmax, double logFloor, double magnitudeEps) {}

    /** Causal SEANet encoder/decoder (ELU, no norm, zero padding, identity shortcut). */
    public record Seanet(int nFilters, int[] ratios, int kernelSize, int residualKernelSize, int lastKernelSize,
                         int compress) {
        /** Token hop in mel frames: the product of the ratios. */
        public int hopFrames() {
            int h = 1;
            for (int r : ratios) h *= r;
            return h;
        }
    }

    /** The four identical streaming transformers (pre-norm, RoPE, causal sliding window, LayerScale). */
    public record Transformer(int numHeads, int numLayers, int dimFeedforward, int context, double maxPeriod,
                              double normEps) {}

    /** Paralinguistic encoder (6 x conv+BN+ReLU, squeeze-excitation, GRU, Gaussian mean head). */
    public record Paralinguistic(int promptFrames, int[] convChannels, int seHidden, int gruHidden, double batchnormEps) {}

    /** HiFT vocoder (CosyVoice-1 layout). */
    public record Vocoder(int baseChannels, int f0CondChannels, int nbHarmonics, double nsfAlpha, double nsfSigma,
                          double voicedThreshold, int[] upsampleRates, int[] upsampleKernelSizes, int istftNFft,
                          int istftHop, int[] resblockKernelSizes, int[][] resblockDilations,
                          int[] sourceResblockKernelSizes, int[][] sourceResblockDilations, double lreluSlope,
                          double audioLimit) {
        /** Output samples per mel frame: prod(upsample_rates) * istft_hop. */
        public int samplesPerFrame() {
            int h = istftHop;
            for (int r : upsampleRates) h *= r;
            return h;
        }
    }

    /** Hyper-parameters of the released models ("21.5 Hz": ratios [2,2]; "86 Hz": ratios [1,1]). */
    public static SecoustiConfig released(int[] ratios) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model_family", MODEL_FAMILY);
        List<Object> r = new ArrayList<>();
        for (int x : ratios) r.add((long) x);
        m.put("seanet", new LinkedHashMap<>(Map.of("ratios", r)));
        return fromMap(m);
    }

    public static SecoustiConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read SecoustiCodec config " + file + ": " + e.getMessage(), e);
        }
        try {
            return fromMap(Json.parseObject(text));
        } catch (JsonException e) {
            throw new IllegalArgumentException("config " + file + " is not valid JSON: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config " + file + ": " + e.getMessage(), e);
        }
    }

    public static SecoustiConfig fromJson(String json) {
        return fromMap(Json.parseObject(json));
    }

    static SecoustiConfig fromMap(Map<String, Object> root) {
        Obj o = new Obj("", root);
        String family = o.str("model_family", null);
        if (!MODEL_FAMILY.equals(family))
            throw new IllegalArgumentException("model_family must be \"" + MODEL_FAMILY + "\", got " + family);
        int version = o.integer("format_version", FORMAT_VERSION);
        if (version != FORMAT_VERSION)
            throw new IllegalArgumentException("unsupported format_version " + version + " (this reader knows " + FORMAT_VERSION + ")");
        o.str("variant", "");  // free-form label, e.g. "21.5hz"
        int sr = o.positive("sample_rate", 22050);
        int nMels = o.positive("n_mels", 80);
        int latent = o.positive("latent_dim", 512);
        int[] levels = o.ints("fsq_levels", new int[] {3, 3, 3, 3, 3, 3, 3, 3});
        for (int l : levels)
            if (l < 2) throw new IllegalArgumentException("fsq_levels entries must be >= 2");
        long cb = 1;
        for (int l : levels) cb *= l;
        if (cb > Integer.MAX_VALUE) throw new IllegalArgumentException("fsq codebook too large");

        Obj mo = o.obj("mel");
        Mel mel = new Mel(mo.positive("n_fft", 1024), mo.positive("hop", 256), mo.positive("win", 1024),
                mo.num("fmin", 0), mo.num("fmax", 8000), mo.num("log_floor", 1e-5), mo.num("magnitude_eps", 1e-9));
        if (mel.win() != mel.nFft()) throw new IllegalArgumentException("mel.win must equal mel.n_fft");
        if (Integer.bitCount(mel.nFft()) != 1) throw new IllegalArgumentException("mel.n_fft must be a power of two");
        mo.done();

        Obj so = o.obj("seanet");
        Seanet seanet = new Seanet(so.positive("n_filters", 64), so.ints("ratios", null), so.positive("kernel_size", 7),
                so.positive("residual_kernel_size", 3), so.positive("last_kernel_size", 3), so.positive("compress", 2));
        if (seanet.ratios() == null) throw new IllegalArgumentException("seanet.ratios is required ([2,2] or [1,1])");
        for (int r : seanet.ratios())
            if (r < 1) throw new IllegalArgumentException("seanet.ratios must be >= 1");
        if (so.integer("n_residual_layers", 1) != 1) throw new IllegalArgumentException("only seanet.n_residual_layers = 1 is supported");
        so.done();

        Obj to = o.obj("transformer");
        Transformer tr = new Transformer(to.positive("num_heads", 8), to.positive("num_layers", 8),
                to.positive("dim_feedforward", 2048), to.positive("context", 250), to.num("max_period", 10000),
                to.num("norm_eps", 1e-5));
        if (latent % tr.numHeads() != 0 || (latent / tr.numHeads()) % 2 != 0)
            throw new IllegalArgumentException("latent_dim must split into num_heads heads of even width");
        to.done();

        Obj po = o.obj("paralinguistic");
        Paralinguistic pa = new Paralinguistic(po.positive("prompt_frames", 300),
                po.ints("conv_channels", new int[] {32, 32, 64, 64, 128, 128}), po.positive("se_hidden", 8),
                po.positive("gru_hidden", 64), po.num("batchnorm_eps", 1e-5));
        if (pa.convChannels().length != 6) throw new IllegalArgumentException("paralinguistic.conv_channels needs 6 entries");
        po.done();

        Obj vo = o.obj("vocoder");
        int[][] d3 = {{1, 3, 5}, {1, 3, 5}, {1, 3, 5}};
        Vocoder voc = new Vocoder(vo.positive("base_channels", 512), vo.positive("f0_cond_channels", 512),
                vo.integer("nb_harmonics", 8), vo.num("nsf_alpha", 0.1), vo.num("nsf_sigma", 0.003),
                vo.num("voiced_threshold", 10), vo.ints("upsample_rates", new int[] {8, 8}),
                vo.ints("upsample_kernel_sizes", new int[] {16, 16}), vo.positive("istft_n_fft", 16),
                vo.positive("istft_hop", 4), vo.ints("resblock_kernel_sizes", new int[] {3, 7, 11}),
                vo.intLists("resblock_dilation_sizes", d3), vo.ints("source_resblock_kernel_sizes", new int[] {7, 11}),
                vo.intLists("source_resblock_dilation_sizes", new int[][] {{1, 3, 5}, {1, 3, 5}}),
                vo.num("lrelu_slope", 0.1), vo.num("audio_limit", 0.99));
        if (voc.upsampleRates().length != voc.upsampleKernelSizes().length
                || voc.upsampleRates().length != voc.sourceResblockKernelSizes().length
                || voc.sourceResblockKernelSizes().length != voc.sourceResblockDilations().length
                || voc.resblockKernelSizes().length != voc.resblockDilations().length)
            throw new IllegalArgumentException("vocoder list lengths disagree");
        if (voc.nbHarmonics() < 0) throw new IllegalArgumentException("vocoder.nb_harmonics must be >= 0");
        if (voc.samplesPerFrame() != mel.hop())
            throw new IllegalArgumentException("vocoder prod(upsample_rates) * istft_hop = " + voc.samplesPerFrame()
                    + " must equal mel.hop = " + mel.hop());
        if (voc.istftNFft() % 2 != 0 || voc.baseChannels() >> voc.upsampleRates().length < 1)
            throw new IllegalArgumentException("vocoder istft_n_fft must be even and base_channels >= 2^stages");
        vo.done();
        o.done();
        return new SecoustiConfig(sr, nMels, latent, levels, mel, seanet, tr, pa, voc);
    }

    /** Number of FSQ codes: the product of the levels (6561 for [3]*8). */
    public int codebookSize() {
        int n = 1;
        for (int l : fsqLevels) n *= l;
        return n;
    }

    /** A JSON object being read: remembers which keys were consumed so {@link #done()} can reject the rest. */
    private static final class Obj {
        final String path;
        final Map<String, Object> m;
        final TreeSet<String> used = new TreeSet<>();

        Obj(String path, Map<String, Object> m) {
            this.path = path;
            this.m = m;
        }

        private Object get(String k) {
            used.add(k);
            return m.get(k);
        }

        private String name(String k) {
            return path.isEmpty() ? k : path + "." + k;
        }

        @SuppressWarnings("unchecked")
        Obj obj(String k) {
            Object v = get(k);
            if (v == null) return new Obj(name(k), Map.of());
            if (!(v instanceof Map)) throw new IllegalArgumentException(name(k) + " must be an object");
            return new Obj(name(k), (Map<String, Object>) v);
        }

        String str(String k, String def) {
            Object v = get(k);
            if (v == null) return def;
            if (!(v instanceof String s)) throw new IllegalArgumentException(name(k) + " must be a string");
            return s;
        }

        double num(String k, double def) {
            Object v = get(k);
            if (v == null) return def;
            if (!(v instanceof Number n)) throw new IllegalArgumentException(name(k) + " must be a number");
            return n.doubleValue();
        }

        int integer(String k, int def) {
            Object v = get(k);
            if (v == null) return def;
            return toInt(k, v);
        }

        int positive(String k, int def) {
            int v = integer(k, def);
            if (v <= 0) throw new IllegalArgumentException(name(k) + " must be positive, got " + v);
            return v;
        }

        private int toInt(String k, Object v) {
            if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE)
                throw new IllegalArgumentException(name(k) + " must be an integer, got " + v);
            return (int) (long) l;
        }

        int[] ints(String k, int[] def) {
            Object v = get(k);
            if (v == null) return def;
            if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > 64)
                throw new IllegalArgumentException(name(k) + " must be a non-empty list of integers");
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) out[i] = toInt(k, l.get(i));
            return out;
        }

        int[][] intLists(String k, int[][] def) {
            Object v = get(k);
            if (v == null) return def;
            if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > 64)
                throw new IllegalArgumentException(name(k) + " must be a list of integer lists");
            int[][] out = new int[l.size()][];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof List<?> li) || li.isEmpty() || li.size() > 64)
                    throw new IllegalArgumentException(name(k) + " must be a list of integer lists");
                out[i] = new int[li.size()];
                for (int j = 0; j < out[i].length; j++) out[i][j] = toInt(k, li.get(j));
            }
            return out;
        }

        void done() {
            TreeSet<String> unknown = new TreeSet<>(m.keySet());
            unknown.removeAll(used);
            if (!unknown.isEmpty()) {
                List<String> names = new ArrayList<>();
                for (String u : unknown) names.add(name(u));
                throw new IllegalArgumentException("unknown config keys " + names);
            }
        }
    }
}
