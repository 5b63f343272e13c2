package io.parla.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.parla.core.json.Json;
import io.parla.core.tensor.DType;
import io.parla.train.data.Batches;
import io.parla.train.data.Corpus;
import io.parla.train.loss.SpectralLoss;
import io.parla.train.model.CodebookWidening;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.DecoderGrowth;
import io.parla.train.model.EncoderGrowth;
import io.parla.train.model.EncoderWidening;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamSpecs;
import io.parla.train.model.ParamStore;
import io.parla.train.util.Metrics;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;

/**
 * Runs one training stage described by a {@link Recipe} in a run directory: resumes from
 * {@code <run>/checkpoint/} when present, writes checkpoints (params + AdamW state + step) atomically, exports an
 * official-layout snapshot ({@code <run>/export/config.json + model.safetensors}), logs {@code metrics.csv} /
 * {@code val.csv} and loss-curve PNGs.
 */
public final class Trainer {
    private final Recipe r;
    private final Path run;
    private final Stage stage;
    private final PrintStream log;
    private final long seed;

    public Trainer(Recipe recipe, Path runDir, PrintStream log) {
        this.r = recipe;
        this.run = runDir;
        this.stage = Stage.of(recipe.str("stage", "codec"), recipe);
        this.log = log;
        this.seed = (long) recipe.num("seed", 1234);
    }

    /** Result summary of a run. */
    public record Result(long step, double firstLoss, double lastLoss, Map<String, Double> lastVal, Path exportDir) {}

    public Result run() throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("recipe.json"), r.toJson() + "\n");
        try (NDManager root = NDManager.newBaseManager()) {
            return runWith(root);
        }
    }

    /**
     * The student config: the recipe's "model", else the config of "init_model", else of "teacher_model"; then
     * "model_patch" ({"encoder": {"causal": true}, ...}) is applied section by section.
     */
    private CodecConfig studentConfig(Path initDir, Path teacherDir) throws IOException {
        CodecConfig c;
        if (r.object("model") != null) c = new CodecConfig(r.object("model"));
        else if (initDir != null) c = CodecConfig.read(initDir.resolve("config.json"));
        else if (teacherDir != null) c = CodecConfig.read(teacherDir.resolve("config.json"));
        else throw new IllegalArgumentException("the recipe needs a \"model\" config or an \"init_model\" directory");
        Map<String, Object> patch = r.object("model_patch");
        if (patch != null) {
            for (var sec : patch.entrySet()) {
                if (!(sec.getValue() instanceof Map<?, ?> kv))
                    throw new IllegalArgumentException("model_patch." + sec.getKey() + " must be an object");
                for (var e : kv.entrySet()) c = c.with(sec.getKey(), (String) e.getKey(), e.getValue());
            }
        }
        return c;
    }

    private Result runWith(NDManager root) throws IOException {
        Path initDir = r.path("init_model");
        Path teacherDir = r.path("teacher_model");
        CodecConfig cfg = studentConfig(initDir, teacherDir);
        Map<String, NDArray> params;
        Path ckpt = run.resolve("checkpoint");
        long step = 0;
        Map<String, Object> state = null;
        if (Files.isRegularFile(ckpt.resolve("state.json"))) {
            state = Json.parseObject(Files.readString(ckpt.resolve("state.json")));
            params = ParamStore.readFor(root, cfg, ckpt.resolve("params.safetensors"));
            step = ((Number) state.get("step")).longValue();
            log.printf("resuming %s from step %d%n", run, step);
        } else {
            params = ParamStore.init(root, cfg, seed);
            if (initDir != null) {
                Map<String, NDArray> init = ParamStore.read(root, initDir.resolve("model.safetensors"));
                copyMatching(params, init, initDir);
                if (r.bool("init_widen_encoder", false)) {
                    int[] w = EncoderWidening.apply(params, init, r.num("init_widen_encoder_noise", 0.01), seed);
                    int n = (w.length - 2) / 2;
                    log.printf("widened the encoder: front end %s -> %s channels, feed-forward %d -> %d (same output up to the copies' noise)%n",
                            Arrays.toString(Arrays.copyOfRange(w, 0, n)), Arrays.toString(Arrays.copyOfRange(w, n, 2 * n)), w[2 * n], w[2 * n + 1]);
                }
                if (r.bool("init_grow_encoder", false)) {
                    int from = CodecConfig.read(initDir.resolve("config.json")).enc().i("num_layers", 6);
                    int to = cfg.enc().i("num_layers", 6);
                    EncoderGrowth.identityLayers(params, from, to);
                    log.printf("grew the encoder from %d to %d layers (new layers start as the identity)%n", from, to);
                }
                if (r.bool("init_grow_decoder", false)) {
                    int[] g = DecoderGrowth.apply(params, init);
                    log.printf("grew the decoder from %d to %d layers, feed-forward %d to %d (same output until the new weights move)%n",
                            g[0], g[1], g[2], g[3]);
                }
                if (r.bool("init_widen_codebook", false)) {
                    int from = CodebookWidening.apply(params, init);
                    log.printf("widened the codebook from %d to %d bits (same output until the new bits gain weight)%n",
                            from, cfg.codeDim());
                }
            }
            if (stage.needsTeacher() && initDir == null && teacherDir != null)
                copyMatching(params, ParamStore.read(root, teacherDir.resolve("model.safetensors")), teacherDir);
        }
        FocalNet teacher = null;
        // a teacher is loaded when the stage needs one, or (validation only: feature distance) when the recipe names one
        if (stage.needsTeacher() || teacherDir != null) {
            if (teacherDir == null) throw new IllegalArgumentException("stage " + r.str("stage", "") + " needs \"teacher_model\"");
            CodecConfig tc = CodecConfig.read(teacherDir.resolve("config.json"));
            checkTeacher(tc, cfg);
            teacher = new FocalNet(tc, ParamStore.readFor(root, tc, teacherDir.resolve("model.safetensors")));
        }
        for (var e : stage.extraParams(cfg).entrySet())
            params.computeIfAbsent(e.getKey(), k -> root.zeros(new Shape(e.getValue())));
        FocalNet student = new FocalNet(cfg, params);
        List<String> trainable = trainableNames(params.keySet());
        if (trainable.isEmpty()) throw new IllegalArgumentException("no trainable parameters selected");
        for (String n : trainable) params.get(n).setRequiresGradient(true);
        long nTrain = trainable.stream().mapToLong(n -> params.get(n).size()).sum();
        log.printf("stage %s: %s params total (%s trainable in %d tensors), output %d Hz, codebook %d%n", r.str("stage", "codec"),
                ParamSpecs.count(ParamSpecs.of(cfg)), nTrain, trainable.size(), cfg.sampleRateOutput(), cfg.codebookSize());

        var o = "optim.";
        AdamW opt = new AdamW(root, r.num(o + "beta1", 0.8), r.num(o + "beta2", 0.99), r.num(o + "eps", 1e-8),
                r.num(o + "weight_decay", 0.01));
        if (state != null && Files.exists(ckpt.resolve("optim.safetensors")))
            opt.load(ParamStore.read(root, ckpt.resolve("optim.safetensors")), ((Number) state.get("optim_steps")).longValue());
        opt.ensureState(params, trainable);
        List<String> auxNames = trainable.stream().filter(n -> n.startsWith(Stage.AUX_PREFIX)).toList();
        // the heads' warm-up in critic-only steps has its own AdamW: the main one's bias correction counts its steps
        // globally, and must not count steps in which the codec took none
        AdamW auxOpt = new AdamW(root, r.num(o + "beta1", 0.8), r.num(o + "beta2", 0.99), r.num(o + "eps", 1e-8),
                r.num(o + "weight_decay", 0.01));
        if (state != null && Files.exists(ckpt.resolve("aux_optim.safetensors")))
            auxOpt.load(ParamStore.read(root, ckpt.resolve("aux_optim.safetensors")),
                    ((Number) state.getOrDefault("aux_optim_steps", 0L)).longValue());

        io.parla.train.gan.Adversarial gan = null;
        if (io.parla.train.gan.Adversarial.enabled(r)) {
            if (!stage.adversarialCapable())
                throw new IllegalArgumentException("loss.adv_weight / loss.fm_weight need a stage that trains a waveform output (codec, decoder), not "
                        + r.str("stage", ""));
            Map<String, NDArray> dp = null, dop = null;
            long dSteps = 0;
            Path discFrom = null;
            if (state != null && Files.exists(ckpt.resolve("disc.safetensors"))) {
                discFrom = ckpt.resolve("disc.safetensors");
                dp = ParamStore.read(root, discFrom);
                if (Files.exists(ckpt.resolve("disc_optim.safetensors"))) {
                    dop = ParamStore.read(root, ckpt.resolve("disc_optim.safetensors"));
                    dSteps = ((Number) state.getOrDefault("disc_optim_steps", 0L)).longValue();
                }
            } else if (r.has("discriminator.init")) {
                // a fine-tune from a trained model can keep the discriminator that model was trained against
                // (weights only; its AdamW moments start fresh): a fresh one first undoes some of the fine structure
                discFrom = r.path("discriminator.init");
                if (Files.isDirectory(discFrom)) discFrom = discFrom.resolve("disc.safetensors");
                if (!Files.isRegularFile(discFrom))
                    throw new IllegalArgumentException("discriminator.init: " + discFrom
                            + " does not exist (give a run's checkpoint directory or its disc.safetensors)");
                dp = ParamStore.read(root, discFrom);
            }
            try {
                gan = new io.parla.train.gan.Adversarial(r, root, dp, dop, dSteps, seed);
            } catch (IllegalArgumentException e) {
                throw discFrom == null ? e : new IllegalArgumentException(discFrom + ": " + e.getMessage(), e);
            }
            stage.gan = gan;
            log.printf("discriminator: %d params (%s), adv_weight %.3g, fm_weight %.3g%s%n", gan.parameterCount(),
                    gan.discriminator().config().periods().length + " periods, " + gan.discriminator().config().scales() + " scales",
                    r.num("loss.adv_weight", 0), r.num("loss.fm_weight", 0), dp == null ? "" : dop != null ? ", resumed" : ", from " + discFrom);
        }

        // ---------------------------------------------------------------- data
        Corpus corpus = Corpus.load(r.path("data.manifest"), r.path("data.audio_cache"),
                new HashSet<>(r.strings("data.exclude_sources")), r.num("data.val_speaker_fraction", 0.05),
                r.num("data.val_max_duration_fraction", 0.10), seed,
                r.integer("data.max_files", 0));
        Files.write(run.resolve("heldout_speakers.txt"), corpus.heldOutSpeakers());
        log.printf("data: %d train files (%.1f min), %d validation files (%.1f min) from %d held-out speakers%n",
                corpus.train().size(), corpus.trainSeconds() / 60, corpus.val().size(), corpus.valSeconds() / 60,
                corpus.heldOutSpeakers().size());
        int chunk = 1280;
        int crop = (int) Math.round(r.num("data.crop_seconds", 1.28) * 16000 / chunk) * chunk;
        int batch = r.integer("data.batch_size", 8);
        Batches batches = new Batches(corpus.train(), crop, batch, seed, r.num("data.min_db", -32), r.num("data.max_db", -18));
        boolean fixed = r.bool("data.fixed_batch", false);
        int valLen = (int) Math.round(r.num("val.seconds", 3.2) * 16000 / chunk) * chunk;
        float[][] val = corpus.val().isEmpty() ? new float[0][]
                : Batches.validation(corpus.val(), r.integer("val.count", 16), valLen, -23);

        long maxSteps = r.integer("optim.max_steps", 10000);
        double maxMinutes = r.num("max_minutes", 0);
        int ckptEvery = r.integer("checkpoint_every_seconds", 300);
        int valEvery = r.integer("val.every_steps", 250);
        // step-numbered exports kept beside the latest one, for checkpoint averaging (parla-train average)
        int snapshotEvery = r.integer("export.snapshot_every_steps", 0);
        int logEvery = r.integer("log_every_steps", 10);
        double clip = r.num("optim.grad_clip", 1.0);

        Metrics metrics = new Metrics(run.resolve("metrics.csv"));
        Metrics vmetrics = new Metrics(run.resolve("val.csv"));
        metrics.truncateAfter(step);
        vmetrics.truncateAfter(step);
        BlockingQueue<float[][]> queue = fixed ? null : batches.prefetch(step, 4);
        long t0 = System.nanoTime(), lastCkpt = System.nanoTime();
        double firstLoss = Double.NaN, lastLoss = Double.NaN, ema = Double.NaN;
        Map<String, Double> lastVal = Map.of();
        double bestScore = Double.NEGATIVE_INFINITY;
        Path export = run.resolve("export");
        long startStep = step;
        ProgressBar pb = new ProgressBarBuilder().setTaskName(r.str("stage", "train")).setInitialMax(maxSteps)
                .startsFrom(step, Duration.ZERO).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(2000)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err, 110)).showSpeed().build();
        try (pb) {
            while (step < maxSteps) {
                if (maxMinutes > 0 && (System.nanoTime() - t0) / 6e10 > maxMinutes) break;
                float[][] b;
                try {
                    b = fixed ? batches.batch(0) : queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                double lr = lr(step, maxSteps);
                boolean criticOnly = gan != null && gan.criticOnly(step);
                Map<String, Double> row = new LinkedHashMap<>();
                try (NDManager sm = root.newSubManager()) {
                    for (NDArray p : params.values()) p.tempAttach(sm);
                    opt.tempAttach(sm);
                    if (gan != null) {
                        gan.tempAttach(sm);
                        gan.setGeneratorLr(lr);
                    }
                    NDArray sig = sm.create(flatten(b), new Shape(b.length, b[0].length));
                    Map<String, NDArray> terms;
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        stage.training = true;
                        terms = stage.terms(student, teacher, sig, step);
                        if (!criticOnly || !auxNames.isEmpty()) gc.backward(terms.get("loss"));
                    } finally {
                        stage.training = false;
                    }
                    double gn;
                    if (!criticOnly) gn = opt.step(params, trainable, lr, clip);
                    else if (auxNames.isEmpty()) gn = 0; // no gradient was computed
                    else {
                        // the auxiliary read-out heads are never exported, so every fine-tune starts them fresh; while
                        // the codec is fixed they catch up too, instead of pulling the codec with random gradients
                        auxOpt.tempAttach(sm);
                        gn = auxOpt.step(params, auxNames, lr, clip);
                        for (String n : trainable)
                            if (!n.startsWith(Stage.AUX_PREFIX)) JniUtils.zeroGrad((PtNDArray) params.get(n));
                    }
                    row.put("step", (double) step + 1);
                    row.put("seconds", (System.nanoTime() - t0) / 1e9);
                    row.put("lr", lr);
                    for (var e : terms.entrySet()) row.put(e.getKey(), (double) e.getValue().getFloat());
                    row.put("grad_norm", gn);
                }
                step++;
                double loss = row.get("loss");
                if (Double.isNaN(firstLoss)) firstLoss = loss;
                lastLoss = loss;
                ema = Double.isNaN(ema) ? loss : 0.95 * ema + 0.05 * loss;
                double sps = (step - startStep) / ((System.nanoTime() - t0) / 1e9);
                row.put("steps_per_s", sps);
                metrics.append(row);
                pb.stepTo(step);
                pb.setExtraMessage(String.format("loss %.4f (ema %.4f) lr %.2e", loss, ema, lr));
                if (step % logEvery == 0 || step == startStep + 1)
                    log.printf("step %d loss %.4f ema %.4f %s %.3f steps/s%n", step, loss, ema, brief(row), sps);
                boolean last = step >= maxSteps;
                if (val.length > 0 && (step % valEvery == 0 || last)) {
                    lastVal = validate(root, student, teacher, params, val, step);
                    Map<String, Double> vr = new LinkedHashMap<>();
                    vr.put("step", (double) step);
                    vr.putAll(lastVal);
                    vmetrics.append(vr);
                    log.printf("validation step %d %s%n", step, lastVal);
                    double score = lastVal.containsKey("stoi") ? lastVal.get("stoi") : -lastVal.get("val_loss");
                    if (Double.isFinite(score) && score > bestScore) {
                        bestScore = score;
                        ParamStore.exportModel(run.resolve("export-best"), cfg, params, exportType());
                        Files.writeString(run.resolve("export-best/STEP"), step + " " + lastVal + "\n");
                    }
                }
                if (snapshotEvery > 0 && step % snapshotEvery == 0)
                    ParamStore.exportModel(run.resolve("snapshots").resolve("step" + step), cfg, params, exportType());
                if ((System.nanoTime() - lastCkpt) / 1e9 >= ckptEvery || last) {
                    checkpoint(ckpt, cfg, params, opt, auxOpt, gan, step, metrics, vmetrics, export);
                    lastCkpt = System.nanoTime();
                }
            }
        }
        checkpoint(ckpt, cfg, params, opt, auxOpt, gan, step, metrics, vmetrics, export);
        return new Result(step, firstLoss, lastLoss, lastVal, export);
    }

    private static String brief(Map<String, Double> row) {
        StringBuilder b = new StringBuilder();
        for (var e : row.entrySet()) {
            String k = e.getKey();
            if (k.equals("step") || k.equals("seconds") || k.equals("loss") || k.equals("steps_per_s")) continue;
            b.append(k).append('=').append(String.format("%.4g", e.getValue())).append(' ');
        }
        return b.toString().trim();
    }

    double lr(long step, long maxSteps) {
        double base = r.num("optim.lr", 1e-3);
        int warm = r.integer("optim.warmup_steps", 200);
        // the generator's schedule (warm-up, cosine) starts when it starts learning, after any critic-only steps;
        // the discriminator warms up on its own before that
        long criticOnly = io.parla.train.gan.Adversarial.enabled(r) ? r.integer("discriminator.critic_only_steps", 0) : 0;
        if (step < criticOnly) return base * Math.min(1.0, (step + 1.0) / warm);
        step -= criticOnly;
        maxSteps -= criticOnly;
        if (step < warm) return base * (step + 1) / warm;
        double minRatio = r.num("optim.lr_min_ratio", 0.1);
        double p = Math.min(1.0, (double) (step - warm) / Math.max(1, maxSteps - warm));
        return base * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.cos(Math.PI * p)));
    }

    List<String> trainableNames(java.util.Set<String> names) {
        List<String> prefixes = r.strings("trainable");
        if (prefixes.isEmpty()) prefixes = stage.defaultTrainable();
        List<String> frozen = new ArrayList<>(stage.frozen());
        frozen.addAll(r.strings("frozen"));
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (prefixes.stream().noneMatch(n::startsWith)) continue;
            if (frozen.stream().anyMatch(n::startsWith)) continue;
            out.add(n);
        }
        return out;
    }

    /** Copies tensors with the same name and shape from {@code src}; reports how many matched. */
    void copyMatching(Map<String, NDArray> dst, Map<String, NDArray> src, Path from) {
        int copied = 0, skipped = 0;
        for (var e : dst.entrySet()) {
            NDArray s = src.get(e.getKey());
            if (s != null && Arrays.equals(s.getShape().getShape(), e.getValue().getShape().getShape())) {
                e.getValue().set(s.toFloatArray());
                copied++;
            } else {
                skipped++;
            }
        }
        log.printf("initialised %d tensors from %s (%d kept fresh)%n", copied, from, skipped);
        if (copied == 0) throw new IllegalArgumentException(from + " shares no tensor (name and shape) with the model config");
    }

    /** The student must consume the teacher's features: same encoder widths, heads and feature dimension. */
    static void checkTeacher(CodecConfig teacher, CodecConfig student) {
        List<String> bad = new ArrayList<>();
        for (String k : List.of("dim", "num_layers", "num_heads", "ffn_dim", "conv_pos", "conv_pos_groups")) {
            int a = teacher.enc().i(k, -1), b = student.enc().i(k, -1);
            if (a != b) bad.add("encoder_config." + k + " teacher " + a + " vs student " + b);
        }
        if (!Arrays.equals(teacher.enc().ints("hidden_dims"), student.enc().ints("hidden_dims")))
            bad.add("encoder_config.hidden_dims differ");
        if (teacher.dec().i("input_dim", 1024) != student.dec().i("input_dim", 1024))
            bad.add("decoder_config.input_dim differs");
        if (!bad.isEmpty()) throw new IllegalArgumentException("teacher config does not match the student: " + String.join("; ", bad));
    }

    private Map<String, Double> validate(NDManager root, FocalNet s, FocalNet t, Map<String, NDArray> params, float[][] val, long step) {
        double mel = 0, sdr = 0, stoi = 0, env = 0, loss = 0, pitchHits = 0, pitchVoiced = 0;
        double fDiff = 0, fRef = 0, fMse = 0, qDiff = 0;
        Map<Long, Integer> tokenCounts = new java.util.HashMap<>();
        Map<String, Double> auxTerms = new LinkedHashMap<>();
        int n = 0, audio = 0;
        int bs = 4;
        try (NDManager sm = root.newSubManager()) {
            for (NDArray p : params.values()) p.tempAttach(sm);
            for (int i = 0; i < val.length; i += bs) {
                float[][] b = Arrays.copyOfRange(val, i, Math.min(val.length, i + bs));
                NDArray sig = sm.create(flatten(b), new Shape(b.length, b[0].length));
                Map<String, NDArray> terms = stage.terms(s, t, sig, step);
                loss += terms.get("loss").getFloat() * b.length;
                // the auxiliary read-outs say what the features carry (e.g. aux_f0 against the constant predictor)
                for (var e : terms.entrySet())
                    if (e.getKey().startsWith("aux_")) auxTerms.merge("val_" + e.getKey(), (double) e.getValue().getFloat() * b.length, Double::sum);
                if (t != null) {
                    // student-vs-teacher distance of the encoder features, and of the decompressed (hard-quantised)
                    // features the decoder consumes, both against the teacher's continuous encoder features
                    NDArray sf = s.encode(sig), tf = t.encode(sig);
                    NDArray qf = s.decompress(FocalNet.quantize(s.featsToLats(sf)));
                    long T = Math.min(Math.min(sf.getShape().get(1), tf.getShape().get(1)), qf.getShape().get(1));
                    sf = sf.get(":, 0:" + T);
                    tf = tf.get(":, 0:" + T);
                    qf = qf.get(":, 0:" + T);
                    double d = sf.sub(tf).square().sum().getFloat();
                    fDiff += d;
                    fRef += tf.square().sum().getFloat();
                    fMse += d / tf.size() * b.length;
                    qDiff += qf.sub(tf).square().sum().getFloat();
                }
                if (stage.codesTrained()) {
                    for (long[] row : FocalNet.tokens(s.featsToLats(s.encode(sig))))
                        for (long tok : row) tokenCounts.merge(tok, 1, Integer::sum);
                }
                NDArray rec = stage.valAudio(s, t, sig, step);
                if (rec != null) {
                    long len = Math.min(rec.getShape().get(1), sig.getShape().get(1));
                    NDArray rr = rec.get(":, 0:" + len), ss = sig.get(":, 0:" + len);
                    mel += SpectralLoss.melDistance(rr, ss, 16000) * b.length;
                    for (int j = 0; j < b.length; j++) {
                        float[] est = rr.get(j).toFloatArray(), ref = ss.get(j).toFloatArray();
                        sdr += SpectralLoss.siSdr(est, ref);
                        stoi += io.parla.eval.Stoi.compute(ref, est, 16000);
                        env += SpectralLoss.envelopeCorrelation(est, ref);
                        io.parla.eval.Pitch.Accuracy pa = io.parla.eval.Pitch.compare(ref, est, 16000);
                        pitchHits += pa.matched();
                        pitchVoiced += pa.referenceVoiced();
                    }
                    audio += b.length;
                    if (i == 0) writeSample(rr.get(0).toFloatArray(), ss.get(0).toFloatArray());
                }
                n += b.length;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("val_loss", loss / n);
        for (var e : auxTerms.entrySet()) out.put(e.getKey(), e.getValue() / n);
        if (fRef > 0) {
            out.put("feat_mse", fMse / n);
            out.put("feat_rel_l2", Math.sqrt(fDiff / fRef));
            out.put("qfeat_rel_l2", Math.sqrt(qDiff / fRef));
        }
        if (!tokenCounts.isEmpty()) {
            double total = tokenCounts.values().stream().mapToInt(Integer::intValue).sum(), h = 0;
            for (int c : tokenCounts.values()) h -= c / total * Math.log(c / total) / Math.log(2);
            out.put("distinct_tokens", (double) tokenCounts.size());
            out.put("token_entropy_bits", h);
        }
        if (audio > 0) {
            out.put("mel_distance", mel / audio);
            out.put("si_sdr", sdr / audio);
            out.put("stoi", stoi / audio);
            out.put("envelope_corr", env / audio);
            if (pitchVoiced > 0) out.put("pitch_agreement", pitchHits / pitchVoiced);
        }
        return out;
    }

    private void writeSample(float[] rec, float[] ref) {
        try {
            io.parla.core.audio.WavWriter.writePcm16(run.resolve("val_sample_rec.wav"), new io.parla.core.audio.Audio(rec, 16000));
            io.parla.core.audio.WavWriter.writePcm16(run.resolve("val_sample_ref.wav"), new io.parla.core.audio.Audio(ref, 16000));
        } catch (IOException e) {
            log.println("warning: cannot write validation sample: " + e.getMessage());
        }
    }

    private void checkpoint(Path ckpt, CodecConfig cfg, Map<String, NDArray> params, AdamW opt, AdamW auxOpt,
                            io.parla.train.gan.Adversarial gan, long step,
                            Metrics metrics, Metrics vmetrics, Path export) throws IOException {
        Path tmp = run.resolve("checkpoint.tmp");
        if (Files.exists(tmp)) deleteTree(tmp);
        Files.createDirectories(tmp);
        ParamStore.write(tmp.resolve("params.safetensors"), params, DType.F32, Map.of("step", Long.toString(step)));
        ParamStore.write(tmp.resolve("optim.safetensors"), opt.state(), DType.F32, Map.of());
        Map<String, Object> st = new LinkedHashMap<>();
        st.put("step", step);
        st.put("optim_steps", opt.steps());
        // the heads' warm-up AdamW, while a resume would still use it (inside the critic-only steps)
        if (auxOpt.steps() > 0 && gan != null && gan.criticOnly(step)) {
            ParamStore.write(tmp.resolve("aux_optim.safetensors"), auxOpt.state(), DType.F32, Map.of());
            st.put("aux_optim_steps", auxOpt.steps());
        }
        if (gan != null) { // discriminator parameters and its own AdamW state (not part of the exported model)
            ParamStore.write(tmp.resolve("disc.safetensors"), gan.params(), DType.F32, Map.of("step", Long.toString(step)));
            ParamStore.write(tmp.resolve("disc_optim.safetensors"), gan.optimizer().state(), DType.F32, Map.of());
            st.put("disc_optim_steps", gan.optimizer().steps());
        }
        st.put("stage", r.str("stage", "codec"));
        st.put("seed", seed);
        Files.writeString(tmp.resolve("state.json"), Json.write(st, 2) + "\n");
        cfg.write(tmp.resolve("config.json"));
        Path old = run.resolve("checkpoint.old");
        if (Files.exists(old)) deleteTree(old);
        if (Files.exists(ckpt)) Files.move(ckpt, old, StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, ckpt, StandardCopyOption.ATOMIC_MOVE);
        if (Files.exists(old)) deleteTree(old);
        ParamStore.exportModel(export, cfg, params, exportType());
        metrics.plot(run.resolve("loss.png"), "training loss (EMA 0.9)", List.of("loss"), 0.9, true);
        metrics.plot(run.resolve("loss_terms.png"), "loss terms (EMA 0.9)",
                List.of("mel", "sc", "mag", "commit", "feat_l2", "l1", "adv", "fm", "d_loss"), 0.9, true);
        vmetrics.plot(run.resolve("val.png"), "validation", List.of("val_loss", "mel_distance", "stoi"), 0.0, false);
        log.printf("checkpoint step %d -> %s (export %s)%n", step, ckpt, export);
    }

    /** The type the exported model directories store their weights in ({@code export.dtype}). */
    private DType exportType() {
        return DType.valueOf(r.str("export.dtype", "F32"));
    }

    static void deleteTree(Path p) throws IOException {
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(q);
        }
    }

    static float[] flatten(float[][] b) {
        float[] out = new float[b.length * b[0].length];
        for (int i = 0; i < b.length; i++) System.arraycopy(b[i], 0, out, i * b[0].length, b[0].length);
        return out;
    }
}
