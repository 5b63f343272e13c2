package io.parla.train;

import io.parla.train.model.CodecConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny configurations and a synthetic speech-like corpus for fast CI runs of every stage. */
final class TinyFixtures {
    private TinyFixtures() {}

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    /** A tiny codec; {@code causal} switches every stage (WaveNeXt hop 320 when causal, Vocos otherwise). */
    static CodecConfig config(boolean causal) {
        Map<String, Object> enc = map("hidden_dims", List.of(16L, 16L, 16L, 16L), "kernel_sizes", List.of(10L, 8L, 8L, 8L),
                "strides", List.of(5L, 4L, 4L, 4L), "num_layers", 2L, "dim", 32L, "ffn_dim", 64L, "num_heads", 2L,
                "conv_pos", 16L, "conv_pos_groups", 4L, "causal", causal, "window_size", 16L, "lookahead_size", 3L);
        Map<String, Object> comp = map("input_dim", 32L, "output_dim", 8L, "hidden_dims", List.of(24L, 16L, 16L),
                "downscale_factors", List.of(1L, 1L, 1L), "focal_window", 3L, "focal_level", 2L, "focal_factor", 2L,
                "causal", causal, "window_size", 8L);
        Map<String, Object> decomp = map("input_dim", 8L, "output_dim", 32L, "hidden_dims", List.of(16L, 16L, 24L),
                "upscale_factors", List.of(1L, 1L, 1L), "focal_window", 3L, "focal_level", 2L, "focal_factor", 2L,
                "causal", causal, "window_size", 8L, "last_window_size", 8L, "lookahead_size", 3L);
        Map<String, Object> dec = causal
                ? map("input_dim", 32L, "num_layers", 1L, "dim", 32L, "ffn_dim", 64L, "kernel_size", 7L, "hop_length", 320L, "causal", true)
                : map("input_dim", 32L, "num_layers", 1L, "dim", 32L, "ffn_dim", 64L, "kernel_size", 7L, "n_fft", 640L,
                "hop_length", 320L, "causal", false);
        return new CodecConfig(map("encoder_name", "WavLM", "encoder_config", enc, "compressor_name", "FocalEncoder",
                "compressor_config", comp, "quantizer_name", "BinarySphericalQuantizer", "quantizer_config",
                map("codebook_size", 256L), "decompressor_name", "FocalDecoder", "decompressor_config", decomp,
                "decoder_name", causal ? "WaveNeXt" : "Vocos", "decoder_config", dec));
    }

    /** The causal tiny codec with the causal Vocos decoder (iSTFT head keeping the last hop of each frame). */
    static CodecConfig causalVocos() {
        Map<String, Object> raw = config(true).raw();
        raw.put("decoder_name", "Vocos");
        raw.put("decoder_config", map("input_dim", 32L, "num_layers", 1L, "dim", 32L, "ffn_dim", 64L, "kernel_size", 7L,
                "n_fft", 640L, "hop_length", 320L, "causal", true));
        return new CodecConfig(raw);
    }

    /** A tiny full-context teacher (random weights, seed 11) exported as a model directory. */
    static Path teacher(Path dir) throws IOException {
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            CodecConfig tc = config(false);
            io.parla.train.model.ParamStore.exportModel(dir, tc, io.parla.train.model.ParamStore.init(m, tc, 11),
                    io.parla.core.tensor.DType.F32);
        }
        return dir;
    }

    /**
     * A stage recipe for CI: seed 5, one fixed batch of two 0.32 s crops, constant lr 3e-3, validation and
     * checkpoints only at the end; {@code model} (or null: from init_model / teacher_model).
     */
    static Recipe recipe(Path home, Path manifest, String stage, CodecConfig model, int steps) {
        Map<String, Object> root = map("stage", stage, "seed", 5L,
                "data", map("manifest", manifest.toString(), "val_speaker_fraction", 0.34, "val_max_duration_fraction", 0.5,
                        "crop_seconds", 0.32, "batch_size", 2L, "fixed_batch", true),
                "optim", map("lr", 3e-3, "warmup_steps", 1L, "max_steps", (long) steps, "lr_min_ratio", 1.0),
                "val", map("every_steps", 1000L, "count", 2L, "seconds", 0.64),
                "log_every_steps", 1000L, "checkpoint_every_seconds", 100000L);
        if (model != null) root.put("model", model.raw());
        return new Recipe(root, home);
    }

    /** Six 1.5 s harmonic "utterances" from three speakers (different f0 ranges) plus a manifest. */
    static Path corpus(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder man = new StringBuilder("path\tseconds\tspeaker\tsource\n");
        Random r = new Random(7);
        for (int s = 0; s < 3; s++) {
            for (int u = 0; u < 2; u++) {
                float[] x = new float[24000];
                double f0 = 100 + 60 * s + 10 * u, ph = 0;
                for (int i = 0; i < x.length; i++) {
                    double f = f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 3 * i / 16000.0));
                    ph += 2 * Math.PI * f / 16000;
                    double env = 0.5 + 0.5 * Math.sin(2 * Math.PI * 4 * i / 16000.0 + u);
                    double v = 0;
                    for (int h = 1; h <= 8; h++) v += Math.sin(h * ph) / h;
                    x[i] = (float) (0.2 * env * v + 0.005 * r.nextGaussian());
                }
                String name = "spk" + s + "_" + u + ".wav";
                io.parla.core.audio.WavWriter.writePcm16(dir.resolve(name), new io.parla.core.audio.Audio(x, 16000));
                man.append(name).append("\t1.5\tspk").append(s).append("\tsynthetic\n");
            }
        }
        Files.writeString(dir.resolve("manifest.tsv"), man.toString());
        return dir.resolve("manifest.tsv");
    }
}
