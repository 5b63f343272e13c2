package io.parla.focalcodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every golden case: tokens identical, every float stage within 1e-4 x max|expected|, both chained from the
 * input and fed with the reference's previous stage (so one stage's rounding cannot hide another's bug).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GoldenParityTest {
    static final double TOL = 1e-4;
    private final Map<String, Double> report = new TreeMap<>();

    static List<String> cases() {
        return List.of(Golden.CASES);
    }

    @BeforeAll
    void start() {
        report.clear();
    }

    @AfterAll
    void printReport() {
        System.out.println("Golden parity, max|a-b| / max|expected| per tensor:");
        report.forEach((k, v) -> System.out.printf("  %-70s %.3e%n", k, v));
    }

    private void check(String c, String name, float[] actual, float[] expected) {
        double e = Golden.relError(actual, expected);
        report.put(c + " " + name, e);
        assertThat(e).as("%s %s relative error", c, name).isLessThanOrEqualTo(TOL);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void offlineChainMatchesReference(String c) {
        try (FocalCodec model = FocalCodec.load(Golden.dir(c)); SafeTensors exp = Golden.expected(c)) {
            float[] sig = exp.get("input.sig").toFloatArray();
            Debug.Recorder dbg = Debug.recorder();
            Sequence feats = model.sigToFeats(sig, null, dbg);
            check(c, "offline.feats", feats.data(), exp.get("offline.feats").toFloatArray());
            Sequence lats = model.featsToLats(feats, null, dbg);
            check(c, "offline.lats", lats.data(), exp.get("offline.lats").toFloatArray());
            int[] toks = model.latsToToks(lats);
            assertThat(toks).as("tokens").containsExactly(Golden.ints(exp.get("offline.toks")));
            Sequence codes = model.toksToCodes(toks);
            check(c, "offline.codes", codes.data(), exp.get("offline.codes").toFloatArray());
            assertThat(model.codesToToks(codes)).containsExactly(toks);
            Sequence qfeats = model.codesToQfeats(codes, null, dbg);
            check(c, "offline.qfeats", qfeats.data(), exp.get("offline.qfeats").toFloatArray());
            float[] rec = model.featsToSig(qfeats, null, dbg);
            check(c, "offline.rec_sig", rec, exp.get("offline.rec_sig").toFloatArray());

            for (Map.Entry<String, Tensor> e : exp.tensors().entrySet()) {
                if (!e.getKey().startsWith("dbg.")) continue;
                String module = e.getKey().substring(4);
                float[] actual = dbg.outputs.get(module);
                assertThat(actual).as("debug output of %s", module).isNotNull();
                float[] expected = e.getValue().toFloatArray();
                if (module.equals("decoder.backbone.embedding"))
                    expected = Golden.transpose(expected, e.getValue().dim(1), e.getValue().dim(2));
                check(c, e.getKey(), actual, expected);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void eachStageFromReferenceInput(String c) {
        try (FocalCodec model = FocalCodec.load(Golden.dir(c)); SafeTensors exp = Golden.expected(c)) {
            Tensor feats = exp.get("offline.feats");
            Sequence f = new Sequence(feats.toFloatArray(), feats.dim(1), feats.dim(2));
            check(c, "stage lats<-ref feats", model.featsToLats(f).data(), exp.get("offline.lats").toFloatArray());
            Tensor codes = exp.get("offline.codes");
            Sequence cs = new Sequence(codes.toFloatArray(), codes.dim(1), codes.dim(2));
            check(c, "stage qfeats<-ref codes", model.codesToQfeats(cs).data(), exp.get("offline.qfeats").toFloatArray());
            Tensor qf = exp.get("offline.qfeats");
            Sequence q = new Sequence(qf.toFloatArray(), qf.dim(1), qf.dim(2));
            check(c, "stage rec_sig<-ref qfeats", model.featsToSig(q), exp.get("offline.rec_sig").toFloatArray());
            check(c, "stage rec_sig_from_feats<-ref feats", model.featsToSig(f), exp.get("offline.rec_sig_from_feats").toFloatArray());
            float[] sig = exp.get("input.sig").toFloatArray();
            assertThat(model.sigToToks(sig)).containsExactly(Golden.ints(exp.get("offline.forward.toks")));
            if (exp.contains("offline.forward.rec_sig"))
                check(c, "offline.forward.rec_sig", model.sigToSig(sig), exp.get("offline.forward.rec_sig").toFloatArray());
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void relativePositionBucketsMatch(String c) {
        try (FocalCodec model = FocalCodec.load(Golden.dir(c)); SafeTensors exp = Golden.expected(c)) {
            long[] table = exp.get("aux.rel_pos_bucket").toLongArray();
            List<String> wrong = new ArrayList<>();
            var enc = model.config().encoder();
            for (int i = 0; i < table.length; i++) {
                int rel = i - 1000;
                int b = io.parla.focalcodec.wavlm.WavLM.relativePositionBucket(rel, enc.numBuckets(), enc.maxDistance());
                if (b != table[i]) wrong.add(rel + "->" + b + " (expected " + table[i] + ")");
            }
            assertThat(wrong).isEmpty();
        }
    }
}
