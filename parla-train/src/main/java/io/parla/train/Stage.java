package io.parla.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.parla.train.loss.EnvelopeLoss;
import io.parla.train.loss.PitchLoss;
import io.parla.train.loss.SpectralLoss;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.FocalNet;
import io.parla.train.model.Ops;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training stages. Each defines which parameters are trained and the loss terms; {@code "loss"} is the total.
 *
 * <ul>
 *   <li>{@code codec} — end-to-end: the whole codec on waveform reconstruction (multi-resolution log-mel L1 +
 *       STFT spectral convergence / log-magnitude), BSQ straight-through, commitment; optional warm-up without
 *       quantisation. Used for the default model (no pretrained WavLM available).</li>
 *   <li>{@code decoder} — FocalCodec stage 1 / FocalCodec-Stream stage 1: decoder from (frozen) continuous encoder
 *       features, spectral losses; optionally (also for {@code codec}) the HiFi-GAN hinge adversarial and
 *       feature-matching terms ({@link #withAdversarial}).</li>
 *   <li>{@code quantizer} — FocalCodec stage 2 / Stream stage 4: compressor + BSQ + decompressor reconstructing the
 *       (frozen) encoder features (L2) + commitment.</li>
 *   <li>{@code posemb} — Stream stage 2: causal positional convolution distilled from the full-context teacher's
 *       (same input, L2 on the positional term).</li>
 *   <li>{@code encoder} — Stream stage 3: causal encoder distilled from the teacher, per-layer L2 with reversed
 *       linear layer weights (earliest layer weighted most); positional and relative embeddings frozen.</li>
 *   <li>{@code joint} — Stream stage 5: encoder + compressor + decompressor + refiner fine-tuned so that the
 *       quantised features match the full-context teacher features (which the decoder was trained on).</li>
 *   <li>{@code teacher} — no counterpart in the paper (which starts from pretrained WavLM): the encoder alone,
 *       trained to make its frame features linearly readable as the input's log-mel frame and log-F0 / voicing
 *       ({@code loss.aux_mel_weight}, {@code loss.aux_f0_weight}). It pretrains an encoder that is known to carry
 *       the pitch, and it answers whether a given front end can find the pitch at all.</li>
 * </ul>
 */
public abstract class Stage {
    final Recipe r;
    /** Training-only read-out heads ({@code aux.*}): trained, checkpointed, never exported. */
    static final String AUX_PREFIX = "aux.";
    /** Discriminator of the adversarial / feature-matching terms, or null (set by the trainer). */
    io.parla.train.gan.Adversarial gan;
    /** True during a training step (the discriminator is updated), false during validation. */
    boolean training;

    Stage(Recipe r) { this.r = r; }

    public static Stage of(String name, Recipe r) {
        return switch (name) {
            case "codec" -> new Codec(r);
            case "decoder" -> new Decoder(r);
            case "quantizer" -> new Quantizer(r);
            case "posemb" -> new PosEmb(r);
            case "encoder" -> new EncoderDistill(r);
            case "joint" -> new Joint(r);
            case "teacher" -> new Teacher(r);
            default -> throw new IllegalArgumentException("unknown stage '" + name
                    + "' (codec, decoder, quantizer, posemb, encoder, joint, teacher)");
        };
    }

    /** Parameter-name prefixes trained in this stage (the recipe's "trainable" list overrides). */
    abstract List<String> defaultTrainable();

    /** Names excluded even if matched by the prefixes. */
    List<String> frozen() { return List.of(); }

    boolean needsTeacher() { return false; }

    static final int AUX_MELS = 80;

    /** Extra (non-exported) trainable tensors this stage needs, by name and shape; created with zeros. */
    Map<String, long[]> extraParams(CodecConfig c) { return Map.of(); }

    /** Whether this stage trains the compressor (then validation reports token usage). */
    boolean codesTrained() { return defaultTrainable().contains("compressor."); }

    /** Loss terms for one batch; {@code teacher} is null unless {@link #needsTeacher()}. */
    abstract Map<String, NDArray> terms(FocalNet student, FocalNet teacher, NDArray sig, long step);

    /** Waveform the model produces for validation (no gradient), or null if the stage has no decoder path. */
    NDArray valAudio(FocalNet student, FocalNet teacher, NDArray sig, long step) {
        return student.decode(student.decompress(quant(student.featsToLats(student.encode(sig)), step, true)));
    }

    /**
     * The decompressor input during training: continuous latents during "loss.quant_warmup_steps"; then, over
     * "loss.soft_quant_anneal_steps", a blend lambda * lats + (1 - lambda) * codes with lambda falling linearly
     * from 1 to 0 (gradient: straight-through, identity on lats), so that the decoder learns to use its input
     * before the information has to live in the code signs; afterwards the plain straight-through estimator.
     */
    NDArray quant(NDArray lats, long step, boolean training) {
        long warm = r.integer("loss.quant_warmup_steps", 0);
        if (step < warm) return lats;
        long anneal = r.integer("loss.soft_quant_anneal_steps", 0);
        if (anneal > 0 && step - warm < anneal) {
            float keep = 1f - (float) (step - warm) / anneal; // share of the continuous latents
            NDArray codes = FocalNet.quantize(lats.stopGradient());
            return lats.add(codes.sub(lats).stopGradient().mul(1f - keep));
        }
        return FocalNet.quantizeSte(lats);
    }

    static NDArray mse(NDArray a, NDArray b) {
        long n = Math.min(a.getShape().get(1), b.getShape().get(1));
        if (a.getShape().get(1) != n) a = a.get(":, 0:" + n);
        if (b.getShape().get(1) != n) b = b.get(":, 0:" + n);
        return a.sub(b).square().mean();
    }

    /** BSQ commitment: mean squared distance of the latents to their (constant) codes. */
    static NDArray commitment(NDArray lats) {
        return lats.sub(FocalNet.quantize(lats.stopGradient())).square().sum(new int[] {-1}).mean();
    }

    /**
     * Factorised BSQ entropy terms. Each bit gets a soft assignment p = sigmoid(k·u·√D) (k = sharpness; at a
     * code corner u·√D = ±1); the term is the per-sample entropy (minimised: confident bits) minus gamma times
     * the entropy of the batch-average bit probabilities (maximised: every bit used half of the time), summed
     * over the D bits, in nats. It is what keeps the codebook from collapsing onto a few codes.
     */
    static NDArray entropyTerm(NDArray lats, double sharpness, double gamma, boolean perSequence) {
        long D = lats.getShape().get(lats.getShape().dimension() - 1);
        NDArray p = ai.djl.nn.Activation.sigmoid(lats.mul((float) (sharpness * Math.sqrt(D))));
        NDArray hs = binaryEntropy(p).sum(new int[] {-1}).mean();
        // per sequence: bit usage balanced within every crop (over time), so codes must follow the signal and
        // cannot just encode a per-crop constant such as loudness
        NDArray hc = perSequence ? binaryEntropy(p.mean(new int[] {1})).sum(new int[] {-1}).mean()
                : binaryEntropy(p.reshape(-1, D).mean(new int[] {0})).sum();
        return hs.sub(hc.mul((float) gamma));
    }

    /**
     * Exact BSQ entropy terms over the whole codebook (feasible for D <= 14): soft assignment
     * q(c|u) = softmax_c(beta <c, u>) over all 2^D codes, beta = sharpness * D / 2 (the same per-bit sharpness
     * as the factorised form at a corner). Returns mean per-frame entropy minus gamma times the entropy of the
     * batch-average assignment; unlike the factorised form it also penalises bits that always flip together.
     * With {@code groups} > 1 the terms are summed over that many equal groups of consecutive bits (BSQ's group
     * factorisation, for codebooks too large to enumerate). The per-frame entropy is still exact, since the soft
     * assignment factorises over bits; the batch-usage entropy becomes the sum over groups, so bits that flip
     * together across two groups are no longer penalised.
     */
    static NDArray jointEntropyTerm(NDArray lats, double sharpness, double gamma, int groups) {
        int D = (int) lats.getShape().get(lats.getShape().dimension() - 1);
        if (groups < 1 || D % groups != 0)
            throw new IllegalArgumentException("loss.entropy_groups " + groups + " does not divide the " + D + " code bits");
        int G = D / groups;
        if (G > 14) throw new IllegalArgumentException("joint BSQ entropy needs at most 14 bits per group, got " + G
                + " (" + D + " bits in " + groups + " groups; raise loss.entropy_groups)");
        NDArray u = lats.reshape(-1, D);
        if (groups == 1) return groupEntropyTerm(u, D, sharpness, gamma);
        NDArray sum = null;
        for (int g = 0; g < groups; g++) {
            NDArray t = groupEntropyTerm(u.get(":, " + g * G + ":" + (g + 1) * G), D, sharpness, gamma);
            sum = sum == null ? t : sum.add(t);
        }
        return sum;
    }

    /** Joint terms of one group u [N, G] of a D-bit code (code entries are +-1/sqrt(D) whatever the group size). */
    private static NDArray groupEntropyTerm(NDArray u, int D, double sharpness, double gamma) {
        int G = (int) u.getShape().get(1);
        int K = 1 << G;
        float v = (float) (1 / Math.sqrt(D));
        float[] cb = new float[K * G];
        for (int k = 0; k < K; k++) for (int d = 0; d < G; d++) cb[k * G + d] = ((k >> (G - 1 - d)) & 1) == 1 ? v : -v;
        NDArray codebook = u.getManager().create(cb, new ai.djl.ndarray.types.Shape(K, G));
        NDArray logits = u.matMul(codebook.transpose()).mul((float) (sharpness * D / 2));
        NDArray logq = logits.logSoftmax(-1);
        NDArray q = logq.exp();
        NDArray hs = q.mul(logq).sum(new int[] {-1}).neg().mean();
        NDArray avg = q.mean(new int[] {0});
        NDArray hc = avg.mul(avg.add(1e-10f).log()).sum().neg();
        return hs.sub(hc.mul((float) gamma));
    }

    static NDArray binaryEntropy(NDArray p) {
        NDArray q = p.mul(-1).add(1);
        return p.mul(p.add(1e-6f).log()).add(q.mul(q.add(1e-6f).log())).neg();
    }

    Map<String, NDArray> featureReconstruction(FocalNet s, NDArray feats, NDArray target, long step) {
        NDArray lats = s.featsToLats(feats);
        NDArray q = s.decompress(quant(lats, step, true));
        Map<String, NDArray> out = new LinkedHashMap<>();
        NDArray rec = mse(q, target);
        NDArray c = commitment(lats);
        out.put("feat_l2", rec);
        out.put("commit", c);
        out.put("loss", rec.add(c.mul((float) r.num("loss.commit_weight", 0.25))));
        return withEntropy(out, lats);
    }

    /** Adds the BSQ entropy term when "loss.entropy_weight" > 0 (the recipe's quantizer_entropy_loss_weight). */
    Map<String, NDArray> withEntropy(Map<String, NDArray> out, NDArray lats) {
        double ew = r.num("loss.entropy_weight", 0.0);
        if (ew <= 0) return out;
        NDArray e = r.bool("loss.entropy_joint", false)
                ? jointEntropyTerm(lats, r.num("loss.entropy_sharpness", 4.0), r.num("loss.entropy_gamma", 1.0),
                        (int) r.num("loss.entropy_groups", 1))
                : entropyTerm(lats, r.num("loss.entropy_sharpness", 4.0), r.num("loss.entropy_gamma", 1.0),
                        r.bool("loss.entropy_per_sequence", false));
        out.put("entropy", e);
        out.put("loss", out.get("loss").add(e.mul((float) ew)));
        return out;
    }

    Map<String, NDArray> spectral(NDArray rec, NDArray sig) {
        long n = Math.min(rec.getShape().get(1), sig.getShape().get(1));
        rec = rec.get(":, 0:" + n);
        sig = sig.get(":, 0:" + n);
        SpectralLoss sl = new SpectralLoss(resolutions(), 16000);
        Map<String, NDArray> t = new LinkedHashMap<>(sl.terms(rec, sig));
        NDArray loss = t.get("mel").mul((float) r.num("loss.mel_weight", 1.0))
                .add(t.get("sc").add(t.get("mag")).mul((float) r.num("loss.stft_weight", 1.0)));
        double ew = r.num("loss.envelope_weight", 0.0);
        if (ew > 0) {
            NDArray e = EnvelopeLoss.loss(rec, sig, 16000);
            t.put("env", e);
            loss = loss.add(e.mul((float) ew));
        }
        double tw = r.num("loss.time_l1_weight", 0.0);
        if (tw > 0) {
            NDArray l1 = rec.sub(sig).abs().mean();
            t.put("l1", l1);
            loss = loss.add(l1.mul((float) tw));
        }
        t.put("loss", loss);
        return t;
    }

    /** {@code loss.resolutions}: [[n_fft, hop, mels], ...] (mels 0: STFT terms only); default 512/128/64 + 1024/256/80. */
    List<SpectralLoss.Resolution> resolutions() {
        if (!r.has("loss.resolutions")) return SpectralLoss.DEFAULT_16K;
        List<SpectralLoss.Resolution> out = new java.util.ArrayList<>();
        for (Object o : (List<?>) r.get("loss.resolutions")) {
            if (!(o instanceof List<?> l) || l.size() != 3)
                throw new IllegalArgumentException("loss.resolutions: each entry is [n_fft, hop, mels], got " + o);
            out.add(new SpectralLoss.Resolution(((Number) l.get(0)).intValue(), ((Number) l.get(1)).intValue(),
                    ((Number) l.get(2)).intValue()));
        }
        return out;
    }

    /** Whether this stage produces a waveform from trainable parameters (adversarial terms possible). */
    boolean adversarialCapable() { return false; }

    /**
     * When a discriminator is configured and active: during training, first one discriminator update on the real crop
     * and the detached reconstruction (its losses are logged as d_loss, d_real, d_fake, d_margin, d_grad_norm), then
     * the generator's hinge adversarial ("adv") and feature-matching ("fm") terms against the updated discriminator,
     * weighted by loss.adv_weight / loss.fm_weight and added to "loss". Validation leaves the loss unchanged.
     */
    Map<String, NDArray> withAdversarial(Map<String, NDArray> out, NDArray rec, NDArray sig, long step) {
        if (gan == null || !training || !gan.active(step)) return out;
        long n = Math.min(rec.getShape().get(1), sig.getShape().get(1));
        rec = rec.get(":, 0:" + n);
        sig = sig.get(":, 0:" + n);
        for (var e : gan.discriminatorStep(sig, rec).entrySet())
            out.put(e.getKey(), sig.getManager().create(e.getValue().floatValue()));
        if (gan.criticOnly(step)) return out;
        Map<String, NDArray> g = gan.generatorTerms(sig, rec);
        out.put("adv", g.get("adv"));
        out.put("fm", g.get("fm"));
        out.put("loss", out.get("loss").add(g.get("gan")));
        return out;
    }

    static void requireSame16k(CodecConfig c) {
        if (c.sampleRateOutput() != 16000)
            throw new IllegalArgumentException("waveform losses need a 16 kHz decoder (hop_length 320 for WaveNeXt); got "
                    + c.sampleRateOutput() + " Hz");
    }

    // ------------------------------------------------------------------------------------------

    static final class Codec extends Stage {
        Codec(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("encoder.", "compressor.", "decompressor.", "decoder.", AUX_PREFIX); }

        /**
         * Optional auxiliary head (not part of the exported model): a linear map from the decompressed features
         * to the input's log-mel frame (80 mels, one frame per token). It gives the encoder/compressor a direct,
         * low-noise target -- the spectral envelope -- in place of the paper's WavLM feature target.
         */
        @Override
        Map<String, long[]> extraParams(CodecConfig c) { return auxHeads(c.decomp().i("output_dim", 1024)); }

        @Override
        boolean adversarialCapable() { return true; }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            requireSame16k(s.config());
            NDArray lats = s.featsToLats(s.encode(sig));
            NDArray qfeats = s.decompress(quant(lats, step, true));
            NDArray rec = s.decode(qfeats);
            Map<String, NDArray> out = spectral(rec, sig);
            NDArray c = commitment(lats);
            out.put("commit", c);
            out.put("loss", out.get("loss").add(c.mul((float) r.num("loss.commit_weight", 0.25))));
            auxMel(out, s, sig, qfeats);
            withPitch(out, s, sig, rec, qfeats);
            return withAdversarial(withEntropy(out, lats), rec, sig, step);
        }
    }

    /**
     * Pitch terms (see {@link PitchLoss}): {@code loss.pitch_weight} x the harmonic comb of the output at the
     * reference's periods; {@code loss.aux_f0_weight} x an auxiliary head (not exported) reading the reference's
     * log-F0 (L1 in octaves, voiced frames) and voicing (logistic) from the decompressed features, so the tokens
     * must carry the pitch; {@code loss.buzz_weight} x the block locking of the output ({@link PitchLoss#buzz}).
     */
    void withPitch(Map<String, NDArray> out, FocalNet s, NDArray sig, NDArray rec, NDArray qfeats) {
        double pw = r.num("loss.pitch_weight", 0), fw = r.num("loss.aux_f0_weight", 0), bw = r.num("loss.buzz_weight", 0);
        if (bw > 0) {
            long len = Math.min(rec.getShape().get(1), sig.getShape().get(1));
            int period = s.config().decoderHop();
            NDArray b = PitchLoss.buzz(rec.get(":, 0:" + len), sig.get(":, 0:" + len), period, period);
            out.put("buzz", b);
            out.put("loss", out.get("loss").add(b.mul((float) bw)));
        }
        if (pw <= 0 && fw <= 0) return;
        int batch = (int) sig.getShape().get(0), n = (int) sig.getShape().get(1), hop = s.config().encoderHop();
        float[] x = sig.toFloatArray();
        if (pw > 0) {
            long len = Math.min(rec.getShape().get(1), n);
            int frames = (int) (len / hop) + 1;
            float[] lags = PitchLoss.trackBatch(x, batch, n, hop, 0, frames);
            NDArray c = PitchLoss.comb(rec.get(":, 0:" + len), sig.get(":, 0:" + len), lags, hop);
            out.put("pitch", c);
            out.put("loss", out.get("loss").add(c.mul((float) pw)));
        }
        if (fw > 0) auxF0(out, s, sig, qfeats, x);
    }

    /** The auxiliary heads' shapes ({@code aux.*}, not exported), reading features of width {@code dim}. */
    Map<String, long[]> auxHeads(long dim) {
        Map<String, long[]> out = new LinkedHashMap<>();
        if (r.num("loss.aux_mel_weight", 0) > 0) {
            out.put("aux.mel_head.weight", new long[] {AUX_MELS, dim});
            out.put("aux.mel_head.bias", new long[] {AUX_MELS});
        }
        if (r.num("loss.aux_f0_weight", 0) > 0) {
            out.put("aux.f0_head.weight", new long[] {2, dim});
            out.put("aux.f0_head.bias", new long[] {2});
        }
        return out;
    }

    /**
     * {@code loss.aux_mel_weight} x L1 between a linear map of the frame features and the input's log-mel frame
     * (80 mels, 1024-point window, one frame per token): the spectral envelope as a direct, low-noise target.
     */
    void auxMel(Map<String, NDArray> out, FocalNet s, NDArray sig, NDArray feats) {
        double aw = r.num("loss.aux_mel_weight", 0);
        if (aw <= 0) return;
        int hop = s.config().encoderHop();
        NDArray target = SpectralLoss.logMel(SpectralLoss.magnitude(sig, 1024, hop), 1024, AUX_MELS, 16000);
        long T = Math.min(target.getShape().get(1), feats.getShape().get(1));
        NDArray pred = Ops.linear(feats.get(":, 0:" + T), s.params().get("aux.mel_head.weight"),
                s.params().get("aux.mel_head.bias"));
        NDArray a = pred.sub(target.get(":, 0:" + T).stopGradient()).abs().mean();
        out.put("aux_mel", a);
        out.put("loss", out.get("loss").add(a.mul((float) aw)));
    }

    /**
     * {@code loss.aux_f0_weight} x (L1 in octaves between a linear read-out of the frame features and the input's
     * tracked log-F0 on voiced frames + logistic voicing loss). Logged as aux_f0 / aux_vuv, with aux_f0_const, the
     * constant predictor's error on the same frames: aux_f0 well below it means the features carry the pitch.
     * {@code x}: the batch as floats if the caller already has it, else null.
     */
    void auxF0(Map<String, NDArray> out, FocalNet s, NDArray sig, NDArray feats, float[] x) {
        double fw = r.num("loss.aux_f0_weight", 0);
        if (fw <= 0) return;
        int batch = (int) sig.getShape().get(0), n = (int) sig.getShape().get(1), hop = s.config().encoderHop();
        if (x == null) x = sig.toFloatArray();
        int T = (int) Math.min(feats.getShape().get(1), n / hop);
        float[] lags = PitchLoss.trackBatch(x, batch, n, hop, hop / 2, T);
        float[] logf0 = new float[lags.length], voiced = new float[lags.length];
        int nv = 0;
        for (int i = 0; i < lags.length; i++) {
            if (lags[i] <= 0) continue;
            voiced[i] = 1;
            logf0[i] = (float) (Math.log(16000.0 / lags[i] / 100) / Math.log(2));
            nv++;
        }
        var m = sig.getManager();
        NDArray pred = Ops.linear(feats.get(":, 0:" + T), s.params().get("aux.f0_head.weight"),
                s.params().get("aux.f0_head.bias")); // [B, T, 2]
        NDArray v = m.create(voiced, new ai.djl.ndarray.types.Shape(batch, T));
        NDArray f = pred.get(":, :, 0").sub(m.create(logf0, new ai.djl.ndarray.types.Shape(batch, T))).abs()
                .mul(v).sum().div((float) Math.max(nv, 1));
        NDArray z = pred.get(":, :, 1");
        // logistic loss, written stably: softplus(z) - v z
        NDArray bce = z.maximum(0f).add(z.abs().neg().exp().add(1f).log()).sub(z.mul(v)).mean();
        NDArray a = f.add(bce);
        out.put("aux_f0", f);
        out.put("aux_f0_const", m.create((float) constantPredictorError(logf0, voiced)));
        out.put("aux_vuv", bce);
        out.put("loss", out.get("loss").add(a.mul((float) fw)));
    }

    /**
     * The L1 error (octaves) of predicting every voiced frame's log-F0 by their median: what aux_f0 scores when
     * the features carry no pitch at all. Logged beside aux_f0, since both swing with each batch's talkers.
     */
    static double constantPredictorError(float[] logf0, float[] voiced) {
        double[] v = new double[logf0.length];
        int n = 0;
        for (int i = 0; i < logf0.length; i++) if (voiced[i] > 0) v[n++] = logf0[i];
        if (n == 0) return 0;
        java.util.Arrays.sort(v, 0, n);
        double med = v[n / 2], e = 0;
        for (int i = 0; i < n; i++) e += Math.abs(v[i] - med);
        return e / n;
    }

    static final class Decoder extends Stage {
        Decoder(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("decoder."); }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            requireSame16k(s.config());
            NDArray feats = s.encode(sig).stopGradient();
            NDArray rec = s.decode(feats);
            return withAdversarial(spectral(rec, sig), rec, sig, step);
        }

        @Override
        boolean adversarialCapable() { return true; }

        @Override
        NDArray valAudio(FocalNet s, FocalNet t, NDArray sig, long step) { return s.decode(s.encode(sig)); }
    }

    static final class Quantizer extends Stage {
        Quantizer(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("compressor.", "decompressor."); }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            NDArray feats = s.encode(sig).stopGradient();
            return featureReconstruction(s, feats, feats, step);
        }
    }

    static final class PosEmb extends Stage {
        PosEmb(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("encoder.encoder.positional_embedding."); }

        boolean needsTeacher() { return true; }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            NDArray[] in = new NDArray[1];
            NDArray[] target = new NDArray[1];
            t.tap((n, x) -> {
                if (n.equals("encoder.feature_proj")) in[0] = x;
                if (n.equals("encoder.encoder.positional_embedding")) target[0] = x;
            });
            // only the front end and the positional term are needed: stop after them by running the conv stack
            t.encodeFront(sig);
            t.tap(null);
            NDArray hyp = s.positionalTerm(in[0].stopGradient());
            NDArray loss = mse(hyp, target[0].stopGradient());
            return new LinkedHashMap<>(Map.of("loss", loss));
        }

        @Override
        NDArray valAudio(FocalNet s, FocalNet t, NDArray sig, long step) { return null; }
    }

    static final class EncoderDistill extends Stage {
        EncoderDistill(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("encoder."); }

        List<String> frozen() {
            return List.of("encoder.encoder.positional_embedding.", "encoder.encoder.relative_embedding.");
        }

        boolean needsTeacher() { return true; }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            NDList tl = new NDList(), sl = new NDList();
            t.encodeLayers(sig, tl);
            s.encodeLayers(sig, sl);
            int L = sl.size();
            List<Double> w = r.numbers("loss.layer_weights");
            if (w.isEmpty()) {
                w = new ArrayList<>();
                double sum = L * (L + 1) / 2.0;
                for (int l = 0; l < L; l++) w.add((L - l) / sum); // reversed linear
            }
            NDArray loss = null;
            Map<String, NDArray> out = new LinkedHashMap<>();
            for (int l = 0; l < L; l++) {
                NDArray e = mse(sl.get(l), tl.get(l).stopGradient());
                out.put("l2_layer" + l, e);
                NDArray we = e.mul(w.get(l).floatValue());
                loss = loss == null ? we : loss.add(we);
            }
            out.put("loss", loss);
            return out;
        }

        @Override
        NDArray valAudio(FocalNet s, FocalNet t, NDArray sig, long step) { return null; }
    }

    static final class Joint extends Stage {
        Joint(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("encoder.", "compressor.", "decompressor."); }

        List<String> frozen() {
            return List.of("encoder.encoder.positional_embedding.", "encoder.encoder.relative_embedding.");
        }

        boolean needsTeacher() { return true; }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            return featureReconstruction(s, s.encode(sig), t.encode(sig).stopGradient(), step);
        }
    }

    static final class Teacher extends Stage {
        Teacher(Recipe r) { super(r); }

        List<String> defaultTrainable() { return List.of("encoder.", AUX_PREFIX); }

        @Override
        Map<String, long[]> extraParams(CodecConfig c) {
            if (r.num("loss.aux_mel_weight", 0) <= 0 && r.num("loss.aux_f0_weight", 0) <= 0)
                throw new IllegalArgumentException("stage teacher needs loss.aux_mel_weight and/or loss.aux_f0_weight > 0");
            return auxHeads(c.enc().i("dim", 1024));
        }

        Map<String, NDArray> terms(FocalNet s, FocalNet t, NDArray sig, long step) {
            NDArray feats = s.encode(sig);
            Map<String, NDArray> out = new LinkedHashMap<>();
            out.put("loss", feats.getManager().create(0f));
            auxMel(out, s, sig, feats);
            auxF0(out, s, sig, feats, null);
            return out;
        }

        @Override
        NDArray valAudio(FocalNet s, FocalNet t, NDArray sig, long step) { return null; }
    }
}
