package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decoupled-weight-decay Adam written with NDArray in-place ops. Weight decay applies to tensors with two or
 * more dimensions only (not to biases, norms, Snake/DynamicTanh alphas, layer scales).
 */
public final class AdamW {
    private final double beta1, beta2, eps, weightDecay;
    private final Map<String, NDArray> m = new LinkedHashMap<>();
    private final Map<String, NDArray> v = new LinkedHashMap<>();
    private long t;
    private final NDManager home;

    /** State tensors live in {@code home}; attach them to the step's manager with {@link #tempAttach}. */
    public AdamW(NDManager home, double beta1, double beta2, double eps, double weightDecay) {
        this.home = home;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
    }

    public long steps() { return t; }

    /** Global L2 norm of the gradients of {@code names}. */
    public static double gradNorm(Map<String, NDArray> params, Collection<String> names) {
        double s = 0;
        for (String n : names) {
            NDArray g = params.get(n).getGradient();
            s += g.square().sum().getFloat();
        }
        return Math.sqrt(s);
    }

    /** One update; gradients are clipped to {@code clip} global norm (<= 0: none), then zeroed. */
    public double step(Map<String, NDArray> params, Collection<String> names, double lr, double clip) {
        double norm = gradNorm(params, names);
        double scale = clip > 0 && norm > clip ? clip / (norm + 1e-12) : 1.0;
        if (!Double.isFinite(norm)) { // skip a non-finite step entirely (and drop its gradients)
            for (String n : names) JniUtils.zeroGrad((PtNDArray) params.get(n));
            return norm;
        }
        t++;
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        for (String n : names) {
            NDArray p = params.get(n);
            NDArray g = p.getGradient();
            if (scale != 1.0) g = g.mul((float) scale);
            NDArray mm = m.computeIfAbsent(n, k -> newState(p));
            NDArray vv = v.computeIfAbsent(n, k -> newState(p));
            mm.muli((float) beta1).addi(g.mul((float) (1 - beta1)));
            vv.muli((float) beta2).addi(g.square().muli((float) (1 - beta2)));
            NDArray upd = mm.div((float) bc1).divi(vv.div((float) bc2).sqrt().addi((float) eps));
            if (weightDecay > 0 && p.getShape().dimension() >= 2) p.muli((float) (1 - lr * weightDecay));
            p.subi(upd.muli((float) lr));
            JniUtils.zeroGrad((PtNDArray) p);
        }
        return norm;
    }

    private NDArray newState(NDArray p) {
        return home.zeros(p.getShape(), p.getDataType());
    }

    /** Creates zero state for every trainable tensor that has none yet (call before the first step). */
    public void ensureState(Map<String, NDArray> params, Collection<String> names) {
        for (String n : names) {
            m.computeIfAbsent(n, k -> newState(params.get(n)));
            v.computeIfAbsent(n, k -> newState(params.get(n)));
        }
    }

    /** State tensors for checkpoints: "m.<name>" and "v.<name>". */
    public Map<String, NDArray> state() {
        Map<String, NDArray> s = new LinkedHashMap<>();
        m.forEach((k, a) -> s.put("m." + k, a));
        v.forEach((k, a) -> s.put("v." + k, a));
        return s;
    }

    public void load(Map<String, NDArray> s, long steps) {
        for (var e : s.entrySet()) {
            NDArray a = e.getValue();
            String k = e.getKey();
            if (k.startsWith("m.")) m.put(k.substring(2), a);
            else if (k.startsWith("v.")) v.put(k.substring(2), a);
        }
        t = steps;
    }

    /** Temporarily moves the state arrays under {@code mgr} (returned when it closes). */
    public void tempAttach(NDManager mgr) {
        for (NDArray a : m.values()) a.tempAttach(mgr);
        for (NDArray a : v.values()) a.tempAttach(mgr);
    }
}
