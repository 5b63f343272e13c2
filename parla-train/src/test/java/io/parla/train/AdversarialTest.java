package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.parla.train.gan.Discriminator;
import io.parla.train.model.ParamStore;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoder stage with the HiFi-GAN adversarial + feature-matching terms on tiny discriminators. */
class AdversarialTest {
    @TempDir
    static Path tmp;
    static Path manifest;
    static Path teacher;

    @BeforeAll
    static void setUp() throws Exception {
        manifest = TinyFixtures.corpus(tmp.resolve("data"));
        teacher = TinyFixtures.teacher(tmp.resolve("teacher"));
    }

    /** Decoder stage from the tiny teacher, fixed batch, constant lr, tiny MPD (2 periods) + MSD (2 scales). */
    static Recipe recipe(int steps) {
        Recipe r = TinyFixtures.recipe(tmp, manifest, "decoder", null, steps);
        Map<String, Object> root = r.raw();
        root.put("init_model", teacher.toString());
        @SuppressWarnings("unchecked") Map<String, Object> optim = (Map<String, Object>) root.get("optim");
        optim.put("lr", 1e-3);
        root.put("loss", TinyFixtures.map("adv_weight", 1.0, "fm_weight", 2.0));
        root.put("discriminator", TinyFixtures.map("periods", List.of(2L, 3L), "mpd_channels", List.of(4L, 8L, 8L),
                "scales", 2L, "msd_channels", List.of(4L, 8L, 8L), "lr", 2e-2));
        return r;
    }

    static Map<String, List<Double>> run(Recipe r, Path dir) throws Exception {
        new Trainer(r, dir, new PrintStream(new ByteArrayOutputStream())).run();
        return new Metrics(dir.resolve("metrics.csv")).read();
    }

    static double mean(List<Double> v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += v.get(i);
        return s / (to - from);
    }

    @Test
    void discriminatorLearnsAndGeneratorTermsAreFinite() throws Exception {
        // the generator barely moves (lr 1e-6): on the fixed batch the discriminator alone must separate real and fake
        Recipe r = recipe(16);
        r.override("optim.lr=1e-6");
        Map<String, List<Double>> m = run(r, tmp.resolve("run-gan"));
        for (String k : List.of("loss", "mel", "adv", "fm", "d_loss", "d_real", "d_fake", "d_margin", "d_grad_norm")) {
            assertTrue(m.containsKey(k), "metrics.csv lacks " + k + ": " + m.keySet());
            assertEquals(16, m.get(k).size(), k);
            for (double v : m.get(k)) assertTrue(Double.isFinite(v), k + " not finite: " + m.get(k));
        }
        assertTrue(m.get("fm").get(0) > 0, "feature matching is zero: " + m.get("fm"));
        List<Double> d = m.get("d_loss"), margin = m.get("d_margin");
        // hinge D loss starts near 2 per sub-discriminator (scores ~ 0) and must fall as real/fake scores separate
        double d0 = mean(d, 0, 3), d1 = mean(d, 13, 16);
        assertTrue(d1 < d0 - 0.5, "discriminator loss did not fall: " + d0 + " -> " + d1 + " " + d);
        double m0 = mean(margin, 0, 3), m1 = mean(margin, 13, 16);
        assertTrue(m1 > m0 && m1 > 0.1, "real/fake scores did not separate: " + m0 + " -> " + m1 + " " + margin);
        assertTrue(Files.exists(tmp.resolve("run-gan/checkpoint/disc.safetensors")));
        assertTrue(Files.exists(tmp.resolve("run-gan/checkpoint/disc_optim.safetensors")));
        // the discriminator is not part of the exported model
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> exported = ParamStore.read(nm, tmp.resolve("run-gan/export/model.safetensors"));
            assertFalse(exported.keySet().stream().anyMatch(k -> k.startsWith("mpd.") || k.startsWith("msd.")), "exported D");
        }
    }

    /**
     * A checkpoint's discriminator and AdamW moments survive a resume bit for bit, and the next step uses both.
     * Comparing a resumed run's losses with a straight run's cannot be exact: libtorch's CPU convolution backward
     * is not bitwise reproducible even on one thread (two such runs once differed by 5.5 % at step 4). So this
     * checks what is deterministic: load-then-save round trips, and forward passes from one loaded state.
     */
    @Test
    void resumeRestoresTheDiscriminatorExactly() throws Throwable {
        onOneThread(AdversarialTest::resumeOnOneThread);
    }

    /** Runs {@code body} with one libtorch intra-op thread: forward passes are then bitwise reproducible. */
    private static void onOneThread(org.junit.jupiter.api.function.Executable body) throws Throwable {
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            body.execute();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }
    }

    private static void resumeOnOneThread() throws Exception {
        Path b = tmp.resolve("run-resumed");
        run(recipe(4), b);
        Path ck = b.resolve("checkpoint");
        byte[] disc = Files.readAllBytes(ck.resolve("disc.safetensors"));
        byte[] moments = Files.readAllBytes(ck.resolve("disc_optim.safetensors"));
        String state = Files.readString(ck.resolve("state.json"));
        assertTrue(state.contains("\"disc_optim_steps\": 4"), state);
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> opt = ParamStore.read(nm, ck.resolve("disc_optim.safetensors"));
            assertTrue(opt.keySet().stream().anyMatch(k -> k.startsWith("m.mpd.")), "no AdamW moments: " + opt.keySet());
            assertTrue(opt.get("v.msd.0.convs.0.weight").abs().sum().getFloat() > 0, "second moment never updated");
        }

        // resuming at max_steps takes no step and rewrites the checkpoint from what it loaded
        Files.writeString(ck.resolve("marker"), "written before the resume");
        run(recipe(4), b);
        assertFalse(Files.exists(ck.resolve("marker")), "the resume did not rewrite the checkpoint");
        assertArrayEquals(disc, Files.readAllBytes(ck.resolve("disc.safetensors")), "discriminator after load + save");
        assertArrayEquals(moments, Files.readAllBytes(ck.resolve("disc_optim.safetensors")), "moments after load + save");
        assertEquals(state, Files.readString(ck.resolve("state.json")));

        // one more step from the same checkpoint: as is, with fresh moments, with a fresh discriminator
        Path freshMoments = copyRun(b, "run-fresh-moments"), freshDisc = copyRun(b, "run-fresh-disc");
        Files.delete(freshMoments.resolve("checkpoint/disc_optim.safetensors"));
        Files.delete(freshDisc.resolve("checkpoint/disc_optim.safetensors"));
        Files.delete(freshDisc.resolve("checkpoint/disc.safetensors"));
        double asIs = run(recipe(5), b).get("d_loss").get(4);
        double sameWeights = run(recipe(5), freshMoments).get("d_loss").get(4);
        double fresh = run(recipe(5), freshDisc).get("d_loss").get(4);
        // step 5's loss is a forward pass of the loaded discriminator: identical with or without the moments,
        // and not what a re-initialised discriminator scores
        assertEquals(asIs, sameWeights, 1e-6 * Math.abs(asIs), "step-5 discriminator loss from the same loaded weights");
        assertTrue(Math.abs(asIs - fresh) > 0.01 * Math.abs(fresh),
                "step-5 discriminator loss " + asIs + " is that of a fresh discriminator, " + fresh);
        // its update uses the loaded moments: with fresh ones AdamW's first step moves every weight by about lr
        try (NDManager nm = NDManager.newBaseManager()) {
            Path step4 = Files.write(tmp.resolve("disc-step4.safetensors"), disc);
            Map<String, NDArray> before = ParamStore.read(nm, step4);
            Map<String, NDArray> a = ParamStore.read(nm, ck.resolve("disc.safetensors"));
            Map<String, NDArray> f = ParamStore.read(nm, freshMoments.resolve("checkpoint/disc.safetensors"));
            double dd = 0, df = 0;
            for (String k : before.keySet()) {
                float[] x0 = before.get(k).toFloatArray(), xa = a.get(k).toFloatArray(), xf = f.get(k).toFloatArray();
                for (int i = 0; i < x0.length; i++) {
                    dd += (xa[i] - xf[i]) * (double) (xa[i] - xf[i]);
                    df += (xf[i] - x0[i]) * (double) (xf[i] - x0[i]);
                }
            }
            assertTrue(df > 0, "the fresh-moment step did not move the discriminator");
            assertTrue(dd > 0.1 * df, "the step with loaded moments moved the discriminator like a first AdamW step: "
                    + Math.sqrt(dd) + " apart, first step " + Math.sqrt(df));
        }
    }

    /** {@code discriminator.init}: a new run starts with another run's discriminator weights (fresh moments). */
    @Test
    void aFineTuneCanStartFromAnotherRunsDiscriminator() throws Throwable {
        onOneThread(() -> {
            Path source = tmp.resolve("run-source");
            run(recipe(4), source);
            Recipe kept = recipe(1), fresh = recipe(1);
            for (Recipe r : List.of(kept, fresh)) r.raw().put("init_model", source.resolve("export").toString());
            kept.override("discriminator.init=\"" + source.resolve("checkpoint") + "\"");
            double withKept = run(kept, tmp.resolve("run-kept-disc")).get("d_loss").get(0);
            double withFresh = run(fresh, tmp.resolve("run-new-disc")).get("d_loss").get(0);
            // the source's own next step scores the same generator, discriminator and (fixed) batch
            double sourceNext = run(recipe(5), source).get("d_loss").get(4);
            assertEquals(sourceNext, withKept, 1e-6 * Math.abs(sourceNext), "first discriminator loss from the kept discriminator");
            assertTrue(Math.abs(withKept - withFresh) > 0.01 * Math.abs(withFresh),
                    "kept " + withKept + " vs fresh " + withFresh + ": the kept discriminator was not used");

            Recipe missing = recipe(1);
            missing.override("discriminator.init=\"" + tmp.resolve("no-such-run") + "\"");
            var e = assertThrows(IllegalArgumentException.class, () -> run(missing, tmp.resolve("run-missing-disc")));
            assertTrue(e.getMessage().contains("no-such-run") && e.getMessage().contains("does not exist"), e.getMessage());
            Recipe other = recipe(1);
            other.override("discriminator.mpd_channels=[4, 8, 16]");
            other.override("discriminator.init=\"" + source.resolve("checkpoint") + "\"");
            e = assertThrows(IllegalArgumentException.class, () -> run(other, tmp.resolve("run-other-disc")));
            assertTrue(e.getMessage().contains("disc.safetensors") && e.getMessage().contains("does not fit"), e.getMessage());
        });
    }

    /**
     * {@code discriminator.critic_only_steps}: in those steps the discriminator learns and the generator does not (its
     * exported weights equal the model it started from, bit for bit, and no generator terms are logged); after them
     * both learn.
     */
    @Test
    void criticOnlyStepsLeaveTheGeneratorAsItWas() throws Exception {
        Recipe r = recipe(3);
        r.override("discriminator.critic_only_steps=3");
        Path dir = tmp.resolve("run-critic-only");
        Map<String, List<Double>> m = run(r, dir);
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> start = ParamStore.read(nm, teacher.resolve("model.safetensors"));
            Map<String, NDArray> after = ParamStore.read(nm, dir.resolve("export/model.safetensors"));
            int compared = 0;
            for (String k : after.keySet())
                if (start.containsKey(k)) {
                    assertArrayEquals(start.get(k).toFloatArray(), after.get(k).toFloatArray(), 0f, k + " moved in a critic-only step");
                    compared++;
                }
            assertTrue(compared > 10, "compared only " + compared + " tensors");
        }
        assertEquals(List.of(0.0, 0.0, 0.0), m.get("grad_norm"), "the generator took an update");
        assertFalse(m.containsKey("adv"), "generator terms were computed: " + m.keySet());
        assertTrue(mean(m.get("d_margin"), 2, 3) > mean(m.get("d_margin"), 0, 1), "the discriminator did not learn: " + m.get("d_margin"));

        // two more steps from the checkpoint: past the critic-only steps, the generator learns again
        Recipe more = recipe(5);
        more.override("discriminator.critic_only_steps=3");
        Map<String, List<Double>> m2 = run(more, dir);
        assertTrue(m2.get("grad_norm").get(4) > 0, "no generator update after the critic-only steps: " + m2.get("grad_norm"));
        assertTrue(Double.isFinite(m2.get("adv").get(4)), "no generator terms after the critic-only steps: " + m2.get("adv"));
    }

    /** In a codec stage the critic-only steps also train the fresh auxiliary read-out heads, and still not the codec. */
    @Test
    void criticOnlyStepsWarmTheAuxiliaryHeadsButNotTheCodec() throws Exception {
        io.parla.train.model.CodecConfig cfg = TinyFixtures.causalVocos();
        Recipe r = TinyFixtures.recipe(tmp, manifest, "codec", cfg, 2);
        r.raw().put("loss", TinyFixtures.map("adv_weight", 1.0, "fm_weight", 2.0, "aux_mel_weight", 1.0));
        r.raw().put("discriminator", recipe(1).raw().get("discriminator"));
        r.override("discriminator.critic_only_steps=4"); // both runs below end inside the critic-only steps
        Path dir = tmp.resolve("run-critic-only-codec");
        Map<String, List<Double>> m = run(r, dir);
        assertTrue(m.get("grad_norm").stream().allMatch(g -> g > 0), "the auxiliary heads took no step: " + m.get("grad_norm"));
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> start = ParamStore.init(nm, cfg, 5); // the recipe's seed
            Map<String, NDArray> after = ParamStore.read(nm, dir.resolve("export/model.safetensors"));
            assertEquals(start.keySet(), after.keySet());
            for (String k : after.keySet())
                assertArrayEquals(start.get(k).toFloatArray(), after.get(k).toFloatArray(), 0f, k + " moved in a critic-only step");
            Map<String, NDArray> ckpt = ParamStore.read(nm, dir.resolve("checkpoint/params.safetensors"));
            assertTrue(ckpt.containsKey("aux.mel_head.weight"), "no auxiliary head in the checkpoint: " + ckpt.keySet());
        }
        // the codec's AdamW counted no step, so its bias correction starts with the codec's first update
        String state = Files.readString(dir.resolve("checkpoint/state.json"));
        assertTrue(state.contains("\"optim_steps\": 0"), state);
        assertTrue(state.contains("\"aux_optim_steps\": 2"), state);

        // a resume inside the critic-only steps continues the heads' AdamW: one more step, counted from 2
        Recipe more = TinyFixtures.recipe(tmp, manifest, "codec", cfg, 3);
        more.raw().put("loss", r.raw().get("loss"));
        more.raw().put("discriminator", r.raw().get("discriminator"));
        run(more, dir);
        state = Files.readString(dir.resolve("checkpoint/state.json"));
        assertTrue(state.contains("\"aux_optim_steps\": 3"), state);
        assertTrue(state.contains("\"optim_steps\": 0"), state);
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> moments = ParamStore.read(nm, dir.resolve("checkpoint/aux_optim.safetensors"));
            assertTrue(moments.keySet().stream().allMatch(k -> k.startsWith("m.aux.") || k.startsWith("v.aux.")), moments.keySet().toString());
            assertTrue(moments.get("v.aux.mel_head.weight").abs().sum().getFloat() > 0, "second moment never updated");
        }
    }

    /** A copy of a run directory. */
    private static Path copyRun(Path from, String name) throws java.io.IOException {
        Path to = tmp.resolve(name);
        try (var files = Files.walk(from)) {
            for (Path p : files.toList()) {
                Path q = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(q);
                else Files.copy(p, q);
            }
        }
        return to;
    }

    @Test
    void discriminatorShapesAndLosses() {
        Recipe r = recipe(1);
        Discriminator d = new Discriminator(Discriminator.Config.from(r));
        try (NDManager nm = NDManager.newBaseManager()) {
            Map<String, NDArray> p = d.init(nm, 3);
            NDArray x = nm.randomNormal(new ai.djl.ndarray.types.Shape(2, 1001)).mul(0.1f); // odd length: reflect padding
            List<Discriminator.Out> out = d.forward(p, x);
            assertEquals(4, out.size(), "2 periods + 2 scales");
            assertEquals(4, out.get(0).feats().size(), "3 convs + post");
            // identical inputs: feature matching is exactly 0, hinge D = 2 per sub-discriminator at scores 0 ... and
            // the generator hinge is 1 per sub-discriminator when all scores are 0
            assertEquals(0f, Discriminator.featureMatching(out, d.forward(p, x)).getFloat(), 0f);
            List<Discriminator.Out> zeros = out.stream().map(o -> new Discriminator.Out(o.score().zerosLike(), o.feats())).toList();
            assertEquals(4f, Discriminator.hingeG(zeros).getFloat(), 1e-6f);
            assertEquals(8f, Discriminator.hingeD(zeros, zeros)[0].getFloat(), 1e-6f);
        }
    }

    @Test
    void adversarialOnAStageWithoutWaveformIsAClearError() {
        Recipe r = recipe(2);
        r.override("stage=\"quantizer\"");
        var e = assertThrows(IllegalArgumentException.class, () -> new Trainer(r, tmp.resolve("run-bad"), System.out).run());
        assertTrue(e.getMessage().contains("adv_weight"), e.getMessage());
    }
}
