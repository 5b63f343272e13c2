package io.parla.focalcodec;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.CheckpointCheck;
import io.parla.core.nn.StateDict;
import io.parla.core.safetensors.SafeTensors;
import io.parla.core.tensor.Tensor;
import io.parla.focalcodec.bsq.BinarySphericalQuantizer;
import io.parla.focalcodec.focalnet.FocalDecoder;
import io.parla.focalcodec.focalnet.FocalEncoder;
import io.parla.focalcodec.vocos.Vocos;
import io.parla.focalcodec.vocos.WaveNeXt;
import io.parla.focalcodec.vocos.WaveformDecoder;
import io.parla.focalcodec.wavlm.WavLM;

import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A FocalCodec / FocalCodec-Stream model with the official verbs. Shapes (batch 1 implied):
 * <pre>
 * sig     [N]        16 kHz samples, nominal [-1, 1]
 * feats   [T, 1024]  encoder output, T = N / 320 (50 Hz)
 * lats    [T', D]    L2-normalised compressor output, T' = T / prod(downscale), D = log2(codebook)
 * toks    [T']       ints in [0, 2^D)
 * codes   [T', D]    +-1/sqrt(D)
 * qfeats  [T, 1024]  decompressor (+ refiner) output
 * sig out [T * hop]  at {@link #sampleRateOutput()}
 * </pre>
 * Offline calls process a whole signal. Causal models also stream: pass an {@link EncoderState} /
 * {@link DecoderState} and feed chunks of {@link #chunkSamples()} samples / {@link #chunkTokens()} tokens.
 * One loaded model may be used by many threads at once; states are per stream.
 */
public final class FocalCodec implements AutoCloseable {
    private final FocalCodecConfig config;
    private final WavLM encoder;
    private final FocalEncoder compressor;
    private final BinarySphericalQuantizer quantizer;
    private final FocalDecoder decompressor;
    private final WaveformDecoder decoder;
    private final List<StateDict.Spec> specs;
    private final Arena arena;
    private final SafeTensors file;
    private final Path directory;

    private FocalCodec(FocalCodecConfig config, StateDict sd, List<StateDict.Spec> specs, Arena arena,
                       SafeTensors file, Path directory) {
        this.config = config;
        this.encoder = new WavLM(sd, config.encoder());
        this.compressor = new FocalEncoder(sd, config.compressor());
        this.quantizer = new BinarySphericalQuantizer(config.codebookSize());
        this.decompressor = new FocalDecoder(sd, config.decompressor());
        this.decoder = config.decoder().isVocos() ? new Vocos(sd, config.decoder()) : new WaveNeXt(sd, config.decoder());
        this.specs = specs;
        this.arena = arena;
        this.file = file;
        this.directory = directory;
    }

    /** Every parameter the configuration needs, in module order (names and shapes). */
    public static List<StateDict.Spec> parameterSpecs(FocalCodecConfig config) {
        StateDict rec = StateDict.recorder();
        new FocalCodec(config, rec, null, null, null, null);
        return rec.specs();
    }

    /** The weights an int8 checkpoint may store as I8 with row scales (see {@link io.parla.core.nn.Int8Rows}). */
    public static java.util.Set<String> rowMatrixNames(FocalCodecConfig config) {
        StateDict rec = StateDict.recorder();
        new FocalCodec(config, rec, null, null, null, null);
        return rec.rowMatrices();
    }

    /**
     * Loads a Hugging Face-style snapshot directory: {@code config.json} + {@code model.safetensors}
     * (F32/F16/BF16, v0.0.1 or v0.0.2 tensor names). Weights are memory-mapped; F16/BF16 are widened off-heap.
     */
    public static FocalCodec load(Path dir) {
        return load(dir, null);
    }

    /**
     * As {@link #load(Path)}, with the weight matrices converted to {@code compute} (F32, or BF16 to halve the
     * memory traffic); null computes with the stored type (F32/BF16; F16 is widened to F32).
     */
    public static FocalCodec load(Path dir, io.parla.core.tensor.DType compute) {
        if (!Files.isDirectory(dir)) throw new ConfigException(dir + ": not a model directory (no such directory)");
        FocalCodecConfig config = FocalCodecConfig.load(dir);
        Path weights = dir.resolve("model.safetensors");
        if (!Files.exists(weights)) {
            if (Files.exists(dir.resolve("model.pt")))
                throw new ConfigException(dir + ": only model.pt found; convert it to model.safetensors (PyTorch pickles are not loaded)");
            throw new ConfigException(dir + ": no model.safetensors next to config.json");
        }
        Arena arena = Arena.ofShared();
        try {
            SafeTensors st = SafeTensors.open(weights, arena);
            io.parla.core.kernels.Kernels.warmUp(StateDict.computeType(st.tensors(), compute));
            Map<String, Tensor> tensors = CheckpointLayout.toV002(st.tensors(), arena);
            List<StateDict.Spec> specs = parameterSpecs(config);
            CheckpointCheck.require(weights.toString(), specs, tensors);
            return new FocalCodec(config, StateDict.of(tensors, arena, compute), specs, arena, st, dir);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public FocalCodecConfig config() { return config; }
    public Path directory() { return directory; }
    public BinarySphericalQuantizer quantizer() { return quantizer; }
    public int sampleRateInput() { return FocalCodecConfig.SAMPLE_RATE_INPUT; }
    public int sampleRateOutput() { return config.sampleRateOutput(); }
    public boolean causal() { return config.causal(); }
    public int chunkSamples() { return config.chunkSamples(); }
    public int chunkTokens() { return decompressor.refinerChunk(); }
    public SafeTensors weightsFile() { return file; }

    /** Parameters per top-level module ({@code encoder}, {@code compressor}, ...), and "total". */
    public Map<String, Long> parameterCounts() {
        Map<String, Long> m = new LinkedHashMap<>();
        long total = 0;
        for (StateDict.Spec s : specs) {
            long n = Tensor.numel(s.shape());
            String module = s.name().startsWith("decompressor.refiner") ? "decompressor.refiner" : s.name().substring(0, s.name().indexOf('.'));
            m.merge(module, n, Long::sum);
            total += n;
        }
        m.put("total", total);
        return m;
    }

    // ------------------------------------------------------------------ offline verbs

    public Sequence sigToFeats(float[] sig) {
        return sigToFeats(sig, null, Debug.NONE);
    }

    public Sequence featsToLats(Sequence feats) {
        return featsToLats(feats, null, Debug.NONE);
    }

    public int[] latsToToks(Sequence lats) {
        return quantizer.latsToToks(lats.data(), lats.frames());
    }

    public Sequence latsToCodes(Sequence lats) {
        return new Sequence(quantizer.latsToCodes(lats.data(), lats.frames()), lats.frames(), quantizer.bits());
    }

    public Sequence toksToCodes(int[] toks) {
        return new Sequence(quantizer.toksToCodes(toks), toks.length, quantizer.bits());
    }

    public int[] codesToToks(Sequence codes) {
        return quantizer.codesToToks(codes.data(), codes.frames());
    }

    public Sequence codesToQfeats(Sequence codes) {
        return codesToQfeats(codes, null, Debug.NONE);
    }

    public Sequence toksToQfeats(int[] toks) {
        return codesToQfeats(toksToCodes(toks));
    }

    /** The decoder: {@code [T, C]} features (quantised or not) -> {@code T * hop} samples. */
    public float[] featsToSig(Sequence feats) {
        return featsToSig(feats, null, Debug.NONE);
    }

    public int[] sigToToks(float[] sig) {
        return latsToToks(featsToLats(sigToFeats(sig)));
    }

    public float[] toksToSig(int[] toks) {
        return featsToSig(toksToQfeats(toks));
    }

    /**
     * Encode + decode, with the output trimmed or right-padded (last sample repeated) to
     * {@code N * sr_out / sr_in} samples, as the reference's {@code forward}.
     */
    public float[] sigToSig(float[] sig) {
        return fitLength(toksToSig(sigToToks(sig)), (int) ((long) sig.length * sampleRateOutput() / sampleRateInput()));
    }

    public static float[] fitLength(float[] y, int length) {
        if (y.length == length) return y;
        float[] out = java.util.Arrays.copyOf(y, length);
        if (length > y.length && y.length > 0) java.util.Arrays.fill(out, y.length, length, y[y.length - 1]);
        return out;
    }

    // ------------------------------------------------------------------ stateful forms (streaming)

    /** Encoder-side streaming state (encoder + compressor). */
    public final class EncoderState {
        final WavLM.State encoder;
        final io.parla.focalcodec.focalnet.LayerContexts compressor;

        EncoderState() {
            this.encoder = FocalCodec.this.encoder.newState();
            this.compressor = FocalCodec.this.compressor.newState();
        }

        public void reset() {
            encoder.reset();
            compressor.reset();
        }

        public int cachedFrames() {
            return encoder.cachedFrames();
        }
    }

    /** Decoder-side streaming state (decompressor + decoder). */
    public final class DecoderState {
        final io.parla.focalcodec.focalnet.LayerContexts decompressor;
        final CausalContext[] decoder;

        DecoderState() {
            this.decompressor = FocalCodec.this.decompressor.newState();
            this.decoder = FocalCodec.this.decoder.newContexts();
        }

        public void reset() {
            decompressor.reset();
            for (CausalContext c : decoder) c.reset();
        }
    }

    public EncoderState newEncoderState() {
        requireCausal();
        return new EncoderState();
    }

    public DecoderState newDecoderState() {
        requireCausal();
        return new DecoderState();
    }

    private void requireCausal() {
        if (!config.causal())
            throw new UnsupportedOperationException("this model is not causal (non-causal encoder/decoder): it cannot stream");
    }

    public Sequence sigToFeats(float[] sig, EncoderState state, Debug debug) {
        if (sig.length == 0) throw new IllegalArgumentException("empty signal");
        int[] t = new int[1];
        float[] f = encoder.forward(sig, sig.length, state == null ? null : state.encoder, t, debug);
        return new Sequence(f, t[0], config.encoder().dim());
    }

    public Sequence featsToLats(Sequence feats, EncoderState state, Debug debug) {
        int[] t = new int[1];
        float[] raw = compressor.forward(feats.data(), feats.frames(), state == null ? null : state.compressor, t, debug);
        return new Sequence(quantizer.normalize(raw, t[0]), t[0], quantizer.bits());
    }

    public Sequence codesToQfeats(Sequence codes, DecoderState state, Debug debug) {
        int[] t = new int[1];
        float[] q = decompressor.forward(codes.data(), codes.frames(), state == null ? null : state.decompressor, t, debug);
        return new Sequence(q, t[0], config.decompressor().outputDim());
    }

    public float[] featsToSig(Sequence feats, DecoderState state, Debug debug) {
        return decoder.forward(feats.data(), feats.frames(), state == null ? decoder.newContexts() : state.decoder, debug);
    }

    /** One streaming encoder step: a chunk of samples -> its tokens. */
    public int[] sigToToks(float[] chunk, EncoderState state) {
        return latsToToks(featsToLats(sigToFeats(chunk, state, Debug.NONE), state, Debug.NONE));
    }

    /** One streaming decoder step: tokens -> their samples. */
    public float[] toksToSig(int[] toks, DecoderState state) {
        return featsToSig(codesToQfeats(toksToCodes(toks), state, Debug.NONE), state, Debug.NONE);
    }

    private volatile byte[] hash;

    /**
     * The model's identity for bitstreams: SHA-256 over the canonical config JSON followed by the raw bytes of
     * {@code model.safetensors}. Computed once, on first use (about a second for a 1 GB checkpoint).
     */
    public byte[] modelHash() {
        byte[] h = hash;
        if (h == null) {
            try {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                md.update(config.canonicalJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (file != null) {
                    try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file.file())) {
                        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(1 << 20);
                        while (ch.read(buf) > 0) {
                            buf.flip();
                            md.update(buf);
                            buf.clear();
                        }
                    }
                }
                h = md.digest();
                hash = h;
            } catch (java.security.NoSuchAlgorithmException | java.io.IOException e) {
                throw new IllegalStateException("cannot hash " + directory + ": " + e.getMessage(), e);
            }
        }
        return h.clone();
    }

    /** A short human-readable model name (the directory name). */
    public String modelName() {
        return directory == null ? "unnamed" : directory.toAbsolutePath().normalize().getFileName().toString();
    }

    @Override
    public void close() {
        if (arena != null) arena.close();
    }
}
