package io.parla.secousticodec;

import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;

import io.parla.core.audio.Resampler;
import io.parla.core.kernels.Kernels;
import io.parla.core.tensor.DType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SecoustiCodec (arXiv 2508.02849): a mel-domain speech codec with one FSQ token stream (3^8 = 6561
 * codes, 21.5 or 86 tokens/s) plus one global paralinguistic vector per utterance, and a HiFT vocoder.
 *
 * <p>Shapes (all float32, row-major, time first): waveform {@code [N]} mono at {@link #sampleRate()};
 * mel ("feats") {@code [T, n_mels]} with {@code T = N / 256}; latents {@code [T', latent_dim]} with
 * {@code T' = ceil(T / hop)} ({@code hop} = product of the SEANet ratios: 4 or 1); tokens {@code int[T']};
 * FSQ codes {@code [T', 8]} in {-1, 0, 1}; paralinguistic vector {@code [latent_dim]}; decoded mel
 * {@code [hop · T', n_mels]} (the "21.5 Hz" model returns up to 3 frames more than were encoded, as the
 * reference does); decoded waveform {@code [256 · frames]}.
 *
 * <p>Instances are immutable and thread-safe; weights live on the heap as float arrays.
 */
public final class SecoustiCodec {
    /** Tokens plus the paralinguistic vector: everything the decoder needs. */
    public record Encoding(int[] tokens, float[] paralinguistic) {}

    private final SecoustiConfig cfg;
    private final MelFrontEnd mel;
    private final Seanet encoder, decoder;
    private final Transformer encoderTransformer, semanticTransformer, connector, decoderTransformer;
    private final SecoustiOps.Mat mu;
    private final Fsq fsq;
    private final ParalinguisticEncoder para;
    private final HiftVocoder vocoder;  // null if no vocoder weights were given
    private final Map<String, Long> parameterCounts = new LinkedHashMap<>();
    private final Path directory;       // null unless loaded from a model directory
    private final List<Path> files;     // checkpoint files the weights came from (empty for state dicts)
    private volatile byte[] hash;

    private SecoustiCodec(SecoustiConfig cfg, Map<String, Tensor> codec, Map<String, Tensor> voc, DType compute,
                          Path directory, List<Path> files) {
        this(cfg, new Weights("codec checkpoint " + name(files, 0), codec, compute),
                voc == null ? null : new Weights("vocoder checkpoint " + name(files, 1), voc, compute), directory, files);
    }

    private static String name(List<Path> files, int i) {
        return files.size() > i ? files.get(i).toString() : "";
    }

    private SecoustiCodec(SecoustiConfig cfg, Weights w, Weights vw, Path directory, List<Path> files) {
        this.cfg = Objects.requireNonNull(cfg);
        this.directory = directory;
        this.files = List.copyOf(files);
        mel = new MelFrontEnd(cfg);
        int d = cfg.latentDim();
        encoder = Seanet.encoder(w, cfg);
        decoder = Seanet.decoder(w, cfg);
        encoderTransformer = new Transformer(w, "encoder_transformer", cfg);
        semanticTransformer = new Transformer(w, "vae_semantic_transformer.semantic_transformer", cfg);
        connector = new Transformer(w, "semantic_connector.semantic_transformer", cfg);
        decoderTransformer = new Transformer(w, "decoder_transformer", cfg);
        mu = w.linear("vae_semantic_transformer.dense_mu", d, d, true);
        w.allowUnused("vae_semantic_transformer.dense_var.weight", d, d);
        w.allowUnused("vae_semantic_transformer.dense_var.bias", d);
        fsq = new Fsq(w, cfg);
        para = new ParalinguisticEncoder(w, cfg);
        w.finish();
        if (vw != null) {
            vocoder = new HiftVocoder(vw, cfg);
            vw.finish();
        } else {
            vocoder = null;
        }
        long total = 0;
        for (Weights ws : vw == null ? List.of(w) : List.of(w, vw))
            for (Weights.Spec sp : ws.specs()) {
                long n = Tensor.numel(sp.shape());
                parameterCounts.merge(ws == vw ? "vocoder" : sp.name().substring(0, sp.name().indexOf('.')), n, Long::sum);
                total += n;
            }
        parameterCounts.put("total", total);
        if (!w.recording()) Kernels.warmUp(w.compute());  // Vector API code is very slow until C2 has compiled it
    }

    /**
     * Builds a codec from state dicts (e.g. {@link SafeTensors#tensors()} or {@link TorchCheckpoint#read}).
     * {@code vocoder} may be null (then only mel-domain decoding is available). Every tensor is checked
     * against the configuration: missing, unexpected and mis-shaped ones are reported together in a
     * {@link CheckpointMismatchException}. The vocoder's weight norm may use either naming and is folded here.
     */
    public static SecoustiCodec fromStateDicts(SecoustiConfig cfg, Map<String, Tensor> codec, Map<String, Tensor> vocoder) {
        return new SecoustiCodec(cfg, codec, vocoder, DType.F32, null, List.of());
    }

    /**
     * Every tensor (name and shape, in build order) of the codec ({@code vocoder = false}) or vocoder checkpoint
     * this configuration needs. Optional tensors the loader also accepts ({@code dense_var}, BatchNorm
     * {@code num_batches_tracked}) are not listed; weight-normed vocoder layers are listed as their folded
     * {@code .weight}, which the loader accepts as well.
     */
    public static Map<String, int[]> parameterSpecs(SecoustiConfig cfg, boolean vocoder) {
        Weights c = Weights.recorder(), v = Weights.recorder();
        new SecoustiCodec(cfg, c, v, null, List.of());
        Map<String, int[]> m = new LinkedHashMap<>();
        for (Weights.Spec s : (vocoder ? v : c).specs()) m.put(s.name(), s.shape());
        return m;
    }

    /**
     * Loads a model directory: {@code config.json}, {@code codec.safetensors} (or {@code codec.pt}) and
     * optionally {@code vocoder.safetensors} (or {@code vocoder.pt}).
     */
    public static SecoustiCodec load(Path dir) {
        return load(dir, null);
    }

    /**
     * As {@link #load(Path)}, computing with weights converted to {@code compute} (F32 or BF16; null = F32).
     * BF16 halves the weight memory traffic; results then differ from the F32 reference by BF16 rounding.
     */
    public static SecoustiCodec load(Path dir, DType compute) {
        SecoustiConfig cfg = SecoustiConfig.load(dir.resolve("config.json"));
        Path codec = pick(dir, "codec");
        if (codec == null) throw new IllegalArgumentException(dir + " has neither codec.safetensors nor codec.pt");
        return load(cfg, codec, pick(dir, "vocoder"), compute, dir);
    }

    private static Path pick(Path dir, String stem) {
        for (String ext : new String[] {".safetensors", ".pt"}) {
            Path p = dir.resolve(stem + ext);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /** Loads from explicit files ({@code .safetensors} or PyTorch {@code .pt}); {@code vocoderFile} may be null. */
    public static SecoustiCodec load(SecoustiConfig cfg, Path codecFile, Path vocoderFile) {
        return load(cfg, codecFile, vocoderFile, null, null);
    }

    private static SecoustiCodec load(SecoustiConfig cfg, Path codecFile, Path vocFile, DType compute, Path dir) {
        List<Path> files = vocFile == null ? List.of(codecFile) : List.of(codecFile, vocFile);
        DType dt = compute == null ? DType.F32 : compute;
        if (codecFile.toString().endsWith(".pt"))
            return withVocoder(cfg, TorchCheckpoint.read(codecFile).stateDict("model"), vocFile, dt, dir, files);
        try (SafeTensors st = SafeTensors.open(codecFile)) {
            return withVocoder(cfg, st.tensors(), vocFile, dt, dir, files);
        }
    }

    private static SecoustiCodec withVocoder(SecoustiConfig cfg, Map<String, Tensor> codec, Path vocFile, DType dt,
                                             Path dir, List<Path> files) {
        if (vocFile == null) return new SecoustiCodec(cfg, codec, null, dt, dir, files);
        if (vocFile.toString().endsWith(".pt"))
            return new SecoustiCodec(cfg, codec, TorchCheckpoint.read(vocFile).stateDict(null), dt, dir, files);
        try (SafeTensors st = SafeTensors.open(vocFile)) {
            return new SecoustiCodec(cfg, codec, st.tensors(), dt, dir, files);
        }
    }

    public SecoustiConfig config() { return cfg; }
    /** The model directory, or null if the codec was not loaded from one. */
    public Path directory() { return directory; }
    /** The checkpoint files the weights were read from (codec, then vocoder); empty for in-memory state dicts. */
    public List<Path> weightFiles() { return files; }
    /** Parameters per top-level module of the codec checkpoint, {@code vocoder}, and {@code total}. */
    public Map<String, Long> parameterCounts() { return Collections.unmodifiableMap(parameterCounts); }

    /**
     * The model's identity for bitstreams: SHA-256 over {@link SecoustiConfig#canonicalJson()} followed by the
     * bytes of the codec and (if loaded) vocoder checkpoint files. Computed on first use. A codec built from
     * in-memory state dicts has no files to hash: its hash covers the configuration only.
     */
    public byte[] modelHash() {
        byte[] h = hash;
        if (h == null) {
            try {
                MessageDigest md = MessageDigest.getInstance("SHA-256");
                md.update(cfg.canonicalJson().getBytes(StandardCharsets.UTF_8));
                ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
                for (Path f : files)
                    try (FileChannel ch = FileChannel.open(f)) {
                        while (ch.read(buf) > 0) {
                            buf.flip();
                            md.update(buf);
                            buf.clear();
                        }
                    }
                hash = h = md.digest();
            } catch (NoSuchAlgorithmException | IOException e) {
                throw new IllegalStateException("cannot hash " + files + ": " + e.getMessage(), e);
            }
        }
        return h.clone();
    }

    /** A short human-readable name: the model directory's name ("unnamed" without one). */
    public String modelName() {
        return directory == null ? "unnamed" : directory.toAbsolutePath().normalize().getFileName().toString();
    }
    public int sampleRate() { return cfg.sampleRate(); }
    public int nMels() { return cfg.nMels(); }
    public int latentDim() { return cfg.latentDim(); }
    public int codebookSize() { return fsq.codebookSize(); }
    public boolean hasVocoder() { return vocoder != null; }
    /** Mel frames per token (product of the SEANet ratios: 4 for "21.5 Hz", 1 for "86 Hz"). */
    public int framesPerToken() { return cfg.seanet().hopFrames(); }
    /** Waveform samples per mel frame (256). */
    public int hopSamples() { return cfg.mel().hop(); }

    // ------------------------------------------------------------------ encode side

    /**
     * Brings {@code sig} to the model rate with the core band-limited {@link Resampler} (Kaiser-windowed sinc,
     * passband to 0.9 of the lower Nyquist frequency, no delay; {@code round(N · 22050 / rate)} samples out).
     * Any rate is accepted: the official loader refuses input below 22.05 kHz and uses torchaudio's
     * resampler, so resampled input gives tokens close to, not identical with, the reference's.
     */
    private float[] toModelRate(float[] sig, int sampleRate) {
        Objects.requireNonNull(sig, "sig");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive, got " + sampleRate);
        if (sampleRate == cfg.sampleRate()) return sig;
        return Resampler.resample(sig, sampleRate, cfg.sampleRate());
    }

    /** Log-mel features {@code [N / 256, n_mels]} of a mono waveform (at least 385 samples). */
    public float[] sigToFeats(float[] sig, int sampleRate) {
        float[] x = toModelRate(sig, sampleRate);
        for (float v : x)
            if (!Float.isFinite(v)) throw new IllegalArgumentException("waveform contains NaN or infinity");
        return mel.compute(x);
    }

    /** Number of mel frames in a feature array. */
    private int frames(float[] feats) {
        return rows(feats, cfg.nMels(), "feats");
    }

    private static int rows(float[] a, int width, String what) {
        Objects.requireNonNull(a, what);
        if (a.length == 0 || a.length % width != 0)
            throw new IllegalArgumentException(what + " length " + a.length + " is not a positive multiple of " + width);
        return a.length / width;
    }

    /** SEANet encoder output z {@code [T', latent_dim]} for mel {@code [T, n_mels]}. */
    public float[] featsToLats(float[] feats) {
        return encoder.forward(feats, frames(feats));
    }

    private int latFrames(float[] lats) {
        return rows(lats, cfg.latentDim(), "latents");
    }

    /** Semantic VAE mean μ {@code [T', latent_dim]}: {@code dense_mu(semantic_transformer(z))}. */
    public float[] latsToSemanticMean(float[] lats) {
        int T = latFrames(lats);
        return mu.apply(semanticTransformer.forward(lats, T), T);
    }

    /** FSQ bounded values {@code [T', 8]} (before rounding) of a semantic mean. */
    public float[] semanticMeanToBounded(float[] mu) {
        int T = latFrames(mu);
        return fsq.bound(fsq.projectIn(mu, T));
    }

    /** Tokens of the latents z {@code [T', latent_dim]}. */
    public int[] latsToToks(float[] lats) {
        float[] b = semanticMeanToBounded(latsToSemanticMean(lats));
        return fsq.tokens(b, b.length / fsq.dim());
    }

    /** Tokens {@code [ceil(T / hop)]} of mel {@code [T, n_mels]}. */
    public int[] featsToToks(float[] feats) {
        return latsToToks(featsToLats(feats));
    }

    /** Tokens of a mono waveform. */
    public int[] sigToToks(float[] sig, int sampleRate) {
        return featsToToks(sigToFeats(sig, sampleRate));
    }

    /**
     * Paralinguistic vector {@code [latent_dim]} of an utterance's mel: the network sees the middle
     * {@code prompt_frames} frames, selected exactly as the reference does (including its Python
     * negative-slice rule for utterances shorter than {@code prompt_frames} frames).
     */
    public float[] featsToParalinguistic(float[] feats) {
        return para.forwardUtterance(feats, frames(feats));
    }

    /** Paralinguistic vector of an explicit prompt mel {@code [t, n_mels]} (all frames used). */
    public float[] promptToParalinguistic(float[] promptFeats) {
        return para.forward(promptFeats, frames(promptFeats));
    }

    /** Paralinguistic vector {@code [latent_dim]} of a mono waveform. */
    public float[] sigToParalinguistic(float[] sig, int sampleRate) {
        return featsToParalinguistic(sigToFeats(sig, sampleRate));
    }

    /** Tokens and paralinguistic vector of a mono waveform (mel computed once). */
    public Encoding encode(float[] sig, int sampleRate) {
        float[] feats = sigToFeats(sig, sampleRate);
        return new Encoding(featsToToks(feats), featsToParalinguistic(feats));
    }

    /** Acoustic embedding {@code [T', latent_dim]} = encoder_transformer(z): the un-quantised reference path. */
    public float[] latsToAcoustic(float[] lats) {
        return encoderTransformer.forward(lats, latFrames(lats));
    }

    // ------------------------------------------------------------------ decode side

    /** FSQ codes {@code [T', 8]} of tokens; throws for tokens outside {@code [0, codebookSize)}. */
    public float[] toksToCodes(int[] toks) {
        Objects.requireNonNull(toks, "toks");
        return fsq.codes(toks);
    }

    /** {@code project_out(codes)}: token latent {@code [T', latent_dim]}. */
    public float[] codesToQLats(float[] codes) {
        return fsq.projectOut(codes, rows(codes, fsq.dim(), "codes"));
    }

    /** Semantic connector: {@code transformer(qlats + p)} {@code [T', latent_dim]}. */
    public float[] connect(float[] qlats, float[] paralinguistic) {
        int T = latFrames(qlats), d = cfg.latentDim();
        checkParalinguistic(paralinguistic);
        float[] x = qlats.clone();
        for (int t = 0; t < T; t++)
            for (int c = 0; c < d; c++) x[t * d + c] += paralinguistic[c];
        return connector.forward(x, T);
    }

    private void checkParalinguistic(float[] p) {
        Objects.requireNonNull(p, "paralinguistic");
        if (p.length != cfg.latentDim())
            throw new IllegalArgumentException("paralinguistic vector has " + p.length + " values, need " + cfg.latentDim());
    }

    /** decoder_transformer then SEANet decoder: latent {@code [T', latent_dim]} to mel {@code [hop·T', n_mels]}. */
    public float[] decodeLats(float[] lats) {
        int T = latFrames(lats);
        return decoder.forward(decoderTransformer.forward(lats, T), T);
    }

    /** decoder_transformer alone (for tests and analysis). */
    float[] decoderTransformer(float[] lats) {
        return decoderTransformer.forward(lats, latFrames(lats));
    }

    /** Tokens + paralinguistic vector to mel {@code [hop · T', n_mels]}. */
    public float[] toksToFeats(int[] toks, float[] paralinguistic) {
        if (toks.length == 0) throw new IllegalArgumentException("no tokens");
        return decodeLats(connect(codesToQLats(toksToCodes(toks)), paralinguistic));
    }

    private HiftVocoder vocoder() {
        if (vocoder == null) throw new IllegalStateException("this SecoustiCodec was loaded without vocoder weights");
        return vocoder;
    }

    /** Vocodes mel {@code [Tm, n_mels]} to {@code [256 · Tm]} samples with the given source randomness. */
    public float[] featsToSig(float[] feats, Excitation excitation) {
        Objects.requireNonNull(excitation, "excitation");
        return vocoder().forward(feats, frames(feats), excitation);
    }

    /** Tokens + paralinguistic vector to waveform with reproducible source randomness ({@link Excitation#seeded}). */
    public float[] toksToSig(int[] toks, float[] paralinguistic, long seed) {
        return featsToSig(toksToFeats(toks, paralinguistic), Excitation.seeded(seed));
    }

    /** Tokens + paralinguistic vector to waveform; fresh randomness per call, like the reference. */
    public float[] toksToSig(int[] toks, float[] paralinguistic) {
        return toksToSig(toks, paralinguistic, ThreadLocalRandom.current().nextLong());
    }

    // ------------------------------------------------------------------ vocoder stages (package-private, tests)

    float[] vocoderF0(float[] feats) {
        return vocoder().f0(feats, frames(feats));
    }

    float[] vocoderSource(float[] f0, Excitation ex) {
        return vocoder().source(f0, ex);
    }

    float[] vocoderConvPost(float[] feats, float[] source) {
        return vocoder().convPost(feats, frames(feats), source);
    }

    float[] vocoderIstft(float[] post, int frames) {
        return vocoder().istft(post, frames);
    }

    int vocoderHarmonics() {
        return vocoder().harmonics();
    }

    // ------------------------------------------------------------------ streaming

    /**
     * A chunked, causal token encoder for one stream (see {@link StreamingEncoder}: its attention sees
     * {@code context - 1} frames, as the reference's streaming mode does).
     */
    public StreamingEncoder streamingEncoder() {
        return new StreamingEncoder(this);
    }

    /**
     * A streaming token decoder for one stream (see {@link StreamingDecoder}): same output as
     * {@link #featsToSig}({@link #toksToFeats}(tokens, paralinguistic), excitation), emitted with the vocoder's
     * lookahead. Needs vocoder weights.
     */
    public StreamingDecoder streamingDecoder(float[] paralinguistic, Excitation excitation) {
        vocoder();
        return new StreamingDecoder(this, paralinguistic, excitation);
    }

    /**
     * Mel frames beyond its own frame that the HiFT vocoder needs before all samples of a frame are final: 19 for
     * the released layout (the first 208 samples of a frame need 18). Needs vocoder weights.
     */
    public int vocoderLookaheadFrames() {
        return HiftStream.lookaheadFrames(vocoder());
    }

    /**
     * Worst-case algorithmic latency of streaming encode ({@link StreamingEncoder}) plus decode
     * ({@link StreamingDecoder}) in samples: from the capture of an input sample until the decoder can emit the
     * output sample at the same position, compute and transport excluded. It adds the mel window's lookahead (frame
     * i needs samples up to {@code 256·i + 639}), the token grouping (a token needs all its mel frames) and the
     * vocoder's lookahead ({@link StreamingDecoder#lookaheadFrames}). Released layouts: 5295 samples (240.1 ms) for
     * "86 Hz", 6063 (275.0 ms) for "21.5 Hz". Needs vocoder weights.
     */
    public int streamingLatencySamples() {
        HiftVocoder v = vocoder();
        int spf = hopSamples(), hop = framesPerToken();
        long m = 1000L * hop;  // a token away from the start; the pattern repeats every token
        long worst = 0;
        for (long n = m * spf; n < (m + hop) * spf; n++) {
            long token = HiftStream.lastFrameNeeded(v, n) / hop;
            long lastInput = mel.needsUpTo(hop * token + hop - 1) - 1;
            worst = Math.max(worst, lastInput - n);
        }
        return Math.toIntExact(worst);
    }

    MelFrontEnd melFrontEnd() { return mel; }
    Transformer connectorTransformer() { return connector; }
    Transformer decoderTransformerModule() { return decoderTransformer; }
    Seanet decoderNet() { return decoder; }
    HiftVocoder vocoderModule() { return vocoder(); }
    Seanet encoderNet() { return encoder; }
    Transformer semanticTransformer() { return semanticTransformer; }
    Fsq fsq() { return fsq; }
    float[] semanticMean(float[] hidden, int T) {
        return mu.apply(hidden, T);
    }
}
