package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.eval.Stoi;
import io.parla.train.data.Batches;
import io.parla.train.data.Corpus;
import io.parla.train.loss.SpectralLoss;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamStore;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Resynthesis quality of an exported model on the held-out speakers of a recipe's data split (same seed, same
 * split): whole utterances (capped), tokens -> waveform through the quantiser, STOI / mel distance / SI-SDR.
 */
public final class Evaluate {
    private Evaluate() {}

    public static Map<String, Double> run(Recipe r, Path modelDir, double maxSeconds, int maxFiles, Path samplesDir,
                                          PrintStream log) throws IOException {
        CodecConfig cfg = CodecConfig.read(modelDir.resolve("config.json"));
        if (cfg.sampleRateOutput() != 16000)
            throw new IllegalArgumentException("evaluation compares at 16 kHz; model outputs " + cfg.sampleRateOutput() + " Hz");
        long seed = (long) r.num("seed", 1234);
        Corpus corpus = Corpus.load(r.path("data.manifest"), r.path("data.audio_cache"),
                new HashSet<>(r.strings("data.exclude_sources")), r.num("data.val_speaker_fraction", 0.05),
                r.num("data.val_max_duration_fraction", 0.10), seed, r.integer("data.max_files", 0), false);
        if (corpus.val().isEmpty()) throw new IllegalArgumentException("the split holds out no speaker");
        double stoi = 0, mel = 0, sdr = 0, secs = 0;
        int n = 0;
        long t0 = System.nanoTime();
        try (NDManager m = NDManager.newBaseManager()) {
            FocalNet net = new FocalNet(cfg, ParamStore.readFor(m, cfg, modelDir.resolve("model.safetensors")));
            for (Corpus.Utt u : corpus.val()) {
                if (maxFiles > 0 && n >= maxFiles) break;
                float[] x = u.samples();
                int len = Math.min(x.length, (int) (maxSeconds * 16000));
                int padded = (len + 1279) / 1280 * 1280;
                float[] in = new float[padded];
                System.arraycopy(x, 0, in, 0, len);
                Batches.normalise(in, -23);
                try (NDManager sm = m.newSubManager()) {
                    NDArray sig = sm.create(in, new Shape(1, padded));
                    NDArray rec = net.decode(net.decompress(FocalNet.quantize(net.featsToLats(net.encode(sig)))));
                    float[] est = java.util.Arrays.copyOf(rec.toFloatArray(), len);
                    float[] ref = java.util.Arrays.copyOf(in, len);
                    double s = Stoi.compute(ref, est, 16000);
                    double md = SpectralLoss.melDistance(sm.create(est, new Shape(1, len)), sm.create(ref, new Shape(1, len)), 16000);
                    double sd = SpectralLoss.siSdr(est, ref);
                    stoi += s;
                    mel += md;
                    sdr += sd;
                    secs += len / 16000.0;
                    if (samplesDir != null && n < 4) {
                        Files.createDirectories(samplesDir);
                        io.parla.core.audio.WavWriter.writePcm16(samplesDir.resolve("utt" + n + "_ref.wav"), new io.parla.core.audio.Audio(ref, 16000));
                        io.parla.core.audio.WavWriter.writePcm16(samplesDir.resolve("utt" + n + "_rec.wav"), new io.parla.core.audio.Audio(est, 16000));
                    }
                    log.printf("%-60s %-22s stoi %.3f mel %.3f si-sdr %.1f%n", u.path(), u.speaker(), s, md, sd);
                }
                n++;
            }
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("files", (double) n);
        out.put("stoi", stoi / n);
        out.put("mel_distance", mel / n);
        out.put("si_sdr", sdr / n);
        out.put("audio_seconds", secs);
        out.put("realtime_factor", wall / secs);
        return out;
    }
}
