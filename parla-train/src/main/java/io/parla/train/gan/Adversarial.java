package io.parla.train.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.parla.train.AdamW;
import io.parla.train.Recipe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The adversarial part of a waveform stage: a {@link Discriminator} with its own parameters and its own AdamW
 * state, trained with the hinge loss on (real, generated) crops once per training step before the generator update
 * (as in the SpeechBrain FocalCodec decoder recipes), and the generator's hinge adversarial + feature-matching terms.
 *
 * <p>Recipe keys: {@code loss.adv_weight}, {@code loss.fm_weight} (either > 0 enables it), {@code discriminator.*}
 * (sizes, see {@link Discriminator.Config}; {@code lr} (default: the generator's {@code optim.lr}; follows the same
 * warm-up / cosine schedule), {@code beta1}, {@code beta2}, {@code weight_decay}, {@code grad_clip} (default 0: none,
 * as the reference), {@code start_step} (generator steps before the adversarial terms start, default 0),
 * {@code critic_only_steps} (steps, counted from step 0, in which only the discriminator and the codec stage's fresh
 * auxiliary heads learn while the generator stays fixed, default 0: a fresh critic catches up with a trained generator
 * before it may pull on it),
 * {@code seed}).
 */
public final class Adversarial {
    private final Discriminator disc;
    private final Map<String, NDArray> params;
    private final List<String> names;
    private final AdamW opt;
    private final double advWeight, fmWeight, clip, lrRatio;
    private final long startStep, criticOnlySteps;
    private double lr;

    public Adversarial(Recipe r, NDManager home, Map<String, NDArray> loadedParams, Map<String, NDArray> loadedOptim,
                       long optimSteps, long seed) {
        this.disc = new Discriminator(Discriminator.Config.from(r));
        String d = "discriminator.";
        this.advWeight = r.num("loss.adv_weight", 0);
        this.fmWeight = r.num("loss.fm_weight", 0);
        this.clip = r.num(d + "grad_clip", 0);
        this.startStep = r.integer(d + "start_step", 0);
        this.criticOnlySteps = r.integer(d + "critic_only_steps", 0);
        double gLr = r.num("optim.lr", 1e-3);
        this.lrRatio = r.num(d + "lr", gLr) / gLr;
        Map<String, long[]> shapes = disc.shapes();
        if (loadedParams != null) {
            for (var e : shapes.entrySet()) {
                NDArray a = loadedParams.get(e.getKey());
                if (a == null || !java.util.Arrays.equals(a.getShape().getShape(), e.getValue()))
                    throw new IllegalArgumentException("checkpointed discriminator does not fit the recipe's discriminator sizes ("
                            + e.getKey() + ")");
            }
            params = new LinkedHashMap<>();
            for (String n : shapes.keySet()) params.put(n, loadedParams.get(n));
        } else {
            params = disc.init(home, r.integer(d + "seed", (int) (seed * 31 + 7)));
        }
        names = new ArrayList<>(params.keySet());
        for (NDArray p : params.values()) p.setRequiresGradient(true);
        opt = new AdamW(home, r.num(d + "beta1", r.num("optim.beta1", 0.8)), r.num(d + "beta2", r.num("optim.beta2", 0.99)),
                r.num(d + "eps", 1e-8), r.num(d + "weight_decay", r.num("optim.weight_decay", 0.01)));
        if (loadedOptim != null) opt.load(loadedOptim, optimSteps);
        opt.ensureState(params, names);
    }

    /** Whether the recipe asks for adversarial / feature-matching terms. */
    public static boolean enabled(Recipe r) { return r.num("loss.adv_weight", 0) > 0 || r.num("loss.fm_weight", 0) > 0; }

    public Map<String, NDArray> params() { return params; }
    public AdamW optimizer() { return opt; }
    public Discriminator discriminator() { return disc; }
    public long parameterCount() { return params.values().stream().mapToLong(NDArray::size).sum(); }

    /** Sets this step's learning rate from the generator's (same schedule, scaled by discriminator.lr / optim.lr). */
    public void setGeneratorLr(double generatorLr) { this.lr = generatorLr * lrRatio; }

    public boolean active(long step) { return step >= startStep; }

    /** Whether at {@code step} the discriminator learns alone (the generator neither gets terms nor an update). */
    public boolean criticOnly(long step) { return step < criticOnlySteps; }

    /** Moves parameters and optimiser state under {@code mgr} for one step. */
    public void tempAttach(NDManager mgr) {
        for (NDArray p : params.values()) p.tempAttach(mgr);
        opt.tempAttach(mgr);
    }

    /**
     * One discriminator update on {@code real} and the (detached) generator output {@code fake}, both [B, N]; must run
     * with gradient recording on. Returns d_loss, d_real, d_fake (hinge parts), d_grad_norm and d_margin (mean real
     * minus mean fake score, after the update's forward pass).
     */
    public Map<String, Double> discriminatorStep(NDArray real, NDArray fake) {
        // gradients of the discriminator only ever come from this backward pass (the generator pass excludes its
        // parameters); AdamW.step zeroes them after the update
        List<Discriminator.Out> r = disc.forward(params, real);
        List<Discriminator.Out> f = disc.forward(params, fake.stopGradient());
        NDArray[] l = Discriminator.hingeD(r, f);
        NDArray ones = l[0].getManager().ones(l[0].getShape(), l[0].getDataType());
        JniUtils.backward((PtNDArray) l[0], (PtNDArray) ones, false, false);
        boolean grad = JniUtils.isGradMode(); // the update itself must not be recorded (in-place ops on leaves)
        JniUtils.setGradMode(false);
        double gn;
        try {
            gn = opt.step(params, names, lr, clip);
        } finally {
            JniUtils.setGradMode(grad);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("d_loss", (double) l[0].getFloat());
        out.put("d_real", (double) l[1].getFloat());
        out.put("d_fake", (double) l[2].getFloat());
        out.put("d_margin", Discriminator.margin(r, f));
        out.put("d_grad_norm", gn);
        return out;
    }

    /**
     * Generator terms against the current discriminator (whose parameters are excluded from this backward pass):
     * "adv" (hinge) and "fm" (feature-matching L1), and their weighted sum under "gan".
     */
    public Map<String, NDArray> generatorTerms(NDArray real, NDArray fake) {
        for (NDArray p : params.values()) p.setRequiresGradient(false);
        try {
            List<Discriminator.Out> f = disc.forward(params, fake);
            List<Discriminator.Out> r = disc.forward(params, real);
            Map<String, NDArray> t = new LinkedHashMap<>();
            NDArray adv = Discriminator.hingeG(f);
            NDArray fm = Discriminator.featureMatching(r, f);
            t.put("adv", adv);
            t.put("fm", fm);
            t.put("gan", adv.mul((float) advWeight).add(fm.mul((float) fmWeight)));
            return t;
        } finally {
            for (NDArray p : params.values()) p.setRequiresGradient(true);
        }
    }
}
