package io.parla.train;

import ai.djl.ndarray.NDArray;
import io.parla.train.model.CodecConfig;
import io.parla.train.util.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every training stage runs a few steps on tiny dims and its loss falls; resume continues from the checkpoint. */
class StagesTest {
    @TempDir
    static Path tmp;
    static Path manifest;
    static Path teacher;

    @BeforeAll
    static void setUp() throws Exception {
        manifest = TinyFixtures.corpus(tmp.resolve("data"));
        teacher = TinyFixtures.teacher(tmp.resolve("teacher"));
    }

    static Recipe recipe(String stage, CodecConfig model, int steps) {
        return TinyFixtures.recipe(tmp, manifest, stage, model, steps);
    }

    static double[] run(Recipe r, Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        new Trainer(r, dir, quiet).run();
        List<Double> loss = new Metrics(dir.resolve("metrics.csv")).read().get("loss");
        double first = (loss.get(0) + loss.get(1) + loss.get(2)) / 3;
        int n = loss.size();
        double last = (loss.get(n - 1) + loss.get(n - 2) + loss.get(n - 3)) / 3;
        return new double[] {first, last};
    }

    static void assertFalls(String stage, double[] fl) {
        assertTrue(fl[1] < fl[0], stage + ": loss did not fall: " + fl[0] + " -> " + fl[1]);
    }

    @Test
    void codecEndToEndLossFallsAndResumes() throws Exception {
        Path dir = tmp.resolve("run-codec");
        Recipe r = recipe("codec", TinyFixtures.config(true), 10);
        r.raw().put("loss", TinyFixtures.map("aux_mel_weight", 1.0, "entropy_weight", 0.1, "entropy_joint", true));
        r.raw().put("export", TinyFixtures.map("snapshot_every_steps", 5));
        assertFalls("codec", run(r, dir));
        // step-numbered snapshots, and their mean is a model of the same layout
        for (String s : List.of("step5", "step10"))
            assertTrue(Files.exists(dir.resolve("snapshots").resolve(s).resolve("model.safetensors")), s);
        WeightAveraging.average(List.of(dir.resolve("snapshots/step5"), dir.resolve("snapshots/step10")), tmp.resolve("mean"));
        try (var mean = io.parla.core.safetensors.SafeTensors.open(tmp.resolve("mean/model.safetensors"));
             var last = io.parla.core.safetensors.SafeTensors.open(dir.resolve("snapshots/step10/model.safetensors"))) {
            assertEquals(last.tensors().keySet(), mean.tensors().keySet());
        }
        assertTrue(Files.exists(dir.resolve("export/model.safetensors")), "export");
        assertTrue(Files.exists(dir.resolve("loss.png")), "loss.png");
        assertEquals(1, Files.readAllLines(dir.resolve("heldout_speakers.txt")).size(), "held-out speakers");
        // resume: two more steps continue from step 10
        Recipe more = recipe("codec", TinyFixtures.config(true), 12);
        more.raw().put("loss", r.raw().get("loss"));
        new Trainer(more, dir, new PrintStream(new ByteArrayOutputStream())).run();
        List<Double> steps = new Metrics(dir.resolve("metrics.csv")).read().get("step");
        assertEquals(12, steps.size());
        assertEquals(12.0, steps.get(11));
    }

    @Test
    void shortWindowResolutionsAndEnvelopeTermAreTrained() throws Exception {
        Path dir = tmp.resolve("run-env");
        Recipe r = recipe("codec", TinyFixtures.config(true), 8);
        r.override("data.crop_seconds=0.48");
        r.raw().put("loss", TinyFixtures.map("envelope_weight", 5.0,
                "resolutions", List.of(List.of(128, 32, 0), List.of(512, 128, 64))));
        assertFalls("codec+env", run(r, dir));
        List<Double> env = new Metrics(dir.resolve("metrics.csv")).read().get("env");
        assertEquals(8, env.size());
        assertTrue(env.stream().allMatch(v -> v > 0 && v < 2), "env term in (0, 2): " + env);

        Recipe bad = recipe("codec", TinyFixtures.config(true), 1);
        bad.raw().put("loss", TinyFixtures.map("resolutions", List.of(List.of(128, 32))));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> run(bad, tmp.resolve("run-bad-res")));
        assertTrue(e.getMessage().contains("[n_fft, hop, mels]"), e.getMessage());
    }

    /**
     * Runs {@code stage} for {@code steps} steps on 0.48 s crops with the given loss terms, asserts that the loss
     * falls and that the auxiliary heads stay out of the export, and returns the logged metrics.
     */
    static Map<String, List<Double>> runWithAuxiliaryHeads(String stage, int steps, Map<String, Object> loss) throws Exception {
        Path dir = tmp.resolve("run-aux-" + stage);
        Recipe r = recipe(stage, TinyFixtures.config(true), steps);
        r.override("data.crop_seconds=0.48");
        r.raw().put("loss", loss);
        assertFalls(stage, run(r, dir));
        String exported = Files.readString(dir.resolve("export/model.safetensors"), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(!exported.contains("aux."), "auxiliary heads are not part of the exported model");
        return new Metrics(dir.resolve("metrics.csv")).read();
    }

    @Test
    void pitchTermsAreTrainedAndTheAuxiliaryHeadIsNotExported() throws Exception {
        var m = runWithAuxiliaryHeads("codec", 8, TinyFixtures.map("pitch_weight", 2.0, "aux_f0_weight", 1.0));
        assertEquals(8, m.get("pitch").size());
        assertTrue(m.get("aux_vuv").stream().allMatch(v -> v > 0 && v < 5), "voicing term: " + m.get("aux_vuv"));
    }

    @Test
    void teacherStageTrainsTheEncoderOnFrameTargetsAndNeedsOne() throws Exception {
        var m = runWithAuxiliaryHeads("teacher", 10, TinyFixtures.map("aux_mel_weight", 1.0, "aux_f0_weight", 1.0));
        assertEquals(10, m.get("aux_f0").size());
        // the constant predictor's error is logged beside the read-out's, and is a real error, not zero
        assertTrue(m.get("aux_f0_const").stream().anyMatch(v -> v > 0.01), "baseline: " + m.get("aux_f0_const"));

        Recipe none = recipe("teacher", TinyFixtures.config(true), 2);
        var e = assertThrows(IllegalArgumentException.class, () -> run(none, tmp.resolve("run-teacher-none")));
        assertTrue(e.getMessage().contains("aux_mel_weight"), e.getMessage());
    }

    @Test
    void constantPredictorBaselineIsTheMeanDistanceToTheVoicedMedian() {
        float[] logf0 = {0f, 1f, 5f, 2f}, voiced = {1f, 1f, 0f, 1f}; // the unvoiced frame's value must not count
        assertEquals(2.0 / 3, Stage.constantPredictorError(logf0, voiced), 1e-12);
        assertEquals(0.0, Stage.constantPredictorError(logf0, new float[4]), 0.0);
    }

    @Test
    void sameSeedSameRun() throws Exception {
        Recipe a = recipe("codec", TinyFixtures.config(true), 3);
        a.override("data.fixed_batch=false");
        Recipe b = recipe("codec", TinyFixtures.config(true), 3);
        b.override("data.fixed_batch=false");
        run(a, tmp.resolve("det-a"));
        run(b, tmp.resolve("det-b"));
        assertEquals(new Metrics(tmp.resolve("det-a/metrics.csv")).read().get("loss"),
                new Metrics(tmp.resolve("det-b/metrics.csv")).read().get("loss"));
    }

    @Test
    void officialTwoStageRecipe() throws Exception {
        Recipe dec = recipe("decoder", null, 10);
        dec.raw().put("init_model", teacher.toString());
        assertFalls("decoder", run(dec, tmp.resolve("run-dec")));
        Recipe q = recipe("quantizer", null, 10);
        q.raw().put("init_model", tmp.resolve("run-dec/export").toString());
        assertFalls("quantizer", run(q, tmp.resolve("run-q")));
    }

    @Test
    void streamDistillationStages() throws Exception {
        CodecConfig causalEnc = new CodecConfig(TinyFixtures.config(false).with("encoder", "causal", true).raw());
        Recipe pe = recipe("posemb", causalEnc, 10);
        pe.raw().put("teacher_model", teacher.toString());
        assertFalls("posemb", run(pe, tmp.resolve("run-pe")));
        Recipe enc = recipe("encoder", causalEnc, 10);
        enc.raw().put("teacher_model", teacher.toString());
        enc.raw().put("init_model", tmp.resolve("run-pe/export").toString());
        assertFalls("encoder", run(enc, tmp.resolve("run-enc")));
        Recipe joint = recipe("joint", TinyFixtures.config(true), 10);
        joint.raw().put("teacher_model", teacher.toString());
        joint.raw().put("init_model", tmp.resolve("run-enc/export").toString());
        assertFalls("joint", run(joint, tmp.resolve("run-joint")));
    }

    @Test
    void mismatchingTeacherIsAClearError() {
        CodecConfig wide = new CodecConfig(TinyFixtures.config(true).with("encoder", "dim", 48).raw());
        Recipe r = recipe("encoder", wide, 2);
        r.raw().put("teacher_model", teacher.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(r, tmp.resolve("run-bad"), System.out).run());
        assertTrue(e.getMessage().contains("teacher config does not match"), e.getMessage());
    }

    @Test
    void emptyDatasetIsAClearError() throws Exception {
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        Files.writeString(empty.resolve("manifest.tsv"), "path\tseconds\tspeaker\tsource\n");
        Recipe r = recipe("codec", TinyFixtures.config(true), 2);
        r.override("data.manifest=\"" + empty.resolve("manifest.tsv") + "\"");
        var e = assertThrows(java.io.IOException.class, () -> new Trainer(r, tmp.resolve("run-empty"), System.out).run());
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
    }

    static float[] values(NDArray a) { return a.toFloatArray(); }
}
