package io.parla.train;

import io.parla.train.model.CodecConfig;
import io.parla.train.util.Metrics;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The validation's student-vs-teacher feature distance (val.csv: feat_mse, feat_rel_l2, qfeat_rel_l2). */
class FeatureDistanceTest {
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

    static Map<String, List<Double>> run(Recipe r, Path dir) throws Exception {
        new Trainer(r, dir, new PrintStream(new ByteArrayOutputStream())).run();
        return new Metrics(dir.resolve("val.csv")).read();
    }

    @Test
    void sameEncoderHasZeroDistanceAndDistillationReducesIt() throws Exception {
        // decoder stage whose (frozen) encoder is the teacher's: the encoder features are identical
        Recipe dec = recipe("decoder", null, 1);
        dec.raw().put("init_model", teacher.toString());
        dec.raw().put("teacher_model", teacher.toString());
        Map<String, List<Double>> v = run(dec, tmp.resolve("run-dec"));
        assertEquals(0.0, v.get("feat_rel_l2").get(0), 0.0);
        assertEquals(0.0, v.get("feat_mse").get(0), 0.0);
        double q = v.get("qfeat_rel_l2").get(0);
        assertTrue(q > 0 && Double.isFinite(q), "quantised features of an untrained quantizer must differ: " + q);

        // causal student distilled layer by layer from the full-context teacher: validated every step, the distance
        // to the teacher's features is positive and falls
        CodecConfig causalEnc = new CodecConfig(TinyFixtures.config(false).with("encoder", "causal", true).raw());
        Recipe enc = recipe("encoder", causalEnc, 12);
        enc.raw().put("teacher_model", teacher.toString());
        enc.override("val.every_steps=1");
        Map<String, List<Double>> e = run(enc, tmp.resolve("run-enc"));
        List<Double> d = e.get("feat_rel_l2");
        assertEquals(12, d.size());
        assertTrue(d.get(0) > 0.01, "causal student equals the teacher already: " + d);
        assertTrue(d.get(11) < 0.9 * d.get(0), "feature distance did not fall: " + d);
    }
}
