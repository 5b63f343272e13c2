package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.FocalNet;
import io.parla.train.model.ParamStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The trainer's forward pass against vectors produced by the official PyTorch FocalCodec. */
class GoldenParityTest {
    static final double TOL = 1e-4;

    static Path dir(String c) { return Path.of("src/test/resources/golden", c); }

    @ParameterizedTest
    @ValueSource(strings = {"tiny_noncausal_50hz", "tiny_causal_50hz_2k", "tiny_noncausal_12_5hz"})
    void matchesOfficialReference(String c) throws Exception {
        CodecConfig cfg = CodecConfig.read(dir(c).resolve("config.json"));
        List<String> report = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager(); SafeTensors exp = SafeTensors.open(dir(c).resolve("expected.safetensors"))) {
            Map<String, NDArray> p = ParamStore.readFor(m, cfg, dir(c).resolve("model.safetensors"));
            Map<String, NDArray> dbgChain = new LinkedHashMap<>();
            FocalNet net = new FocalNet(cfg, p).tap((n, x) -> dbgChain.putIfAbsent(n, x));
            NDArray sig = arr(m, exp.get("input.sig"));
            // chained: every stage from our own previous stage (dbg taps record the first call of each module)
            NDArray feats = net.encode(sig);
            NDArray lats = net.featsToLats(feats);
            NDArray codes = FocalNet.quantize(lats);
            NDArray qfeats = net.decompress(codes);
            NDArray rec = net.decode(qfeats);
            // staged: every stage from the reference's previous stage
            net.tap(null);
            NDArray latsS = net.featsToLats(arr(m, exp.get("offline.feats")));
            NDArray qfeatsS = net.decompress(arr(m, exp.get("offline.codes")));
            Map<String, NDArray> decFromFeats = new LinkedHashMap<>();
            net.tap((n, x) -> decFromFeats.putIfAbsent(n, x));
            NDArray recFromFeats = net.decode(arr(m, exp.get("offline.feats")));
            net.tap(null);
            NDArray recS = exp.contains("offline.rec_sig") ? net.decode(arr(m, exp.get("offline.qfeats"))) : null;

            check(report, failures, exp, "offline.feats", feats);
            check(report, failures, exp, "offline.lats", lats);
            check(report, failures, exp, "offline.lats", latsS);
            check(report, failures, exp, "offline.codes", codes);
            check(report, failures, exp, "offline.qfeats", qfeats);
            check(report, failures, exp, "offline.qfeats", qfeatsS);
            check(report, failures, exp, "offline.rec_sig", rec);
            check(report, failures, exp, "offline.rec_sig", recS);
            check(report, failures, exp, "offline.rec_sig_from_feats", recFromFeats);
            long[] toks = FocalNet.tokens(lats)[0];
            assertArrayEquals(exp.get("offline.toks").toLongArray(), toks, c + " tokens");
            report.add(String.format("%-52s exact (%d tokens)", "offline.toks", toks.length));
            for (String name : exp.tensors().keySet()) {
                if (!name.startsWith("dbg.")) continue;
                String mod = name.substring(4);
                NDArray got = dbgChain.get(mod);
                if (mod.startsWith("decoder.")) {
                    // the reference hook keeps the first decoder call of the chain (on qfeats); accept the
                    // decoder-on-feats run as the alternative if that is what the file holds
                    double a = got == null ? Double.MAX_VALUE : rel(exp.get(name), got);
                    double b = decFromFeats.get(mod) == null ? Double.MAX_VALUE : rel(exp.get(name), decFromFeats.get(mod));
                    if (b < a) got = decFromFeats.get(mod);
                }
                if (got == null) { failures.add("no tap for " + name); continue; }
                check(report, failures, exp, name, got);
            }
            int[] buckets = new int[2001];
            long[] expB = exp.get("aux.rel_pos_bucket").toLongArray();
            for (int r = -1000; r <= 1000; r++) buckets[r + 1000] = FocalNet.relPosBucket(r, cfg.enc().i("num_buckets", 320), cfg.enc().i("max_distance", 800));
            assertArrayEquals(Arrays.stream(expB).mapToInt(x -> (int) x).toArray(), buckets, "buckets");
        }
        System.out.println("== parity " + c + " (max|err| / max|expected|)\n  " + String.join("\n  ", report));
        assertTrue(failures.isEmpty(), c + ": " + failures);
    }

    static NDArray arr(NDManager m, Tensor t) {
        return m.create(t.toFloatArray(), new Shape(Arrays.stream(t.shape()).asLongStream().toArray()));
    }

    static double rel(Tensor exp, NDArray got) {
        float[] e = exp.toFloatArray();
        float[] g = got.toFloatArray();
        if (e.length != g.length) return Double.MAX_VALUE;
        double maxE = 0, maxD = 0;
        for (int i = 0; i < e.length; i++) {
            maxE = Math.max(maxE, Math.abs(e[i]));
            maxD = Math.max(maxD, Math.abs(e[i] - g[i]));
        }
        return maxD / Math.max(maxE, 1e-30);
    }

    static void check(List<String> report, List<String> failures, SafeTensors exp, String name, NDArray got) {
        if (got == null || !exp.contains(name)) return;
        Tensor e = exp.get(name);
        long[] es = Arrays.stream(e.shape()).asLongStream().toArray();
        if (!Arrays.equals(es, got.getShape().getShape())) {
            failures.add(name + " shape " + got.getShape() + " != " + Arrays.toString(es));
            return;
        }
        double r = rel(e, got);
        report.add(String.format("%-52s %.3e", name, r));
        if (!(r <= TOL)) failures.add(name + " rel err " + r);
    }
}
