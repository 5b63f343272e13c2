package io.parla.focalcodec.wavlm;

import io.parla.core.nn.CausalContext;
import io.parla.core.nn.LayerNorm;
import io.parla.core.nn.Linear;
import io.parla.core.nn.StateDict;
import io.parla.focalcodec.Debug;
import io.parla.focalcodec.FocalCodecConfig;

/**
 * {@code encoder}: the first layers of WavLM. {@code [N]} samples at 16 kHz -> {@code [T, dim]} features at
 * 16000/320 = 50 Hz. No final LayerNorm: the features are the last layer's output.
 */
public final class WavLM {
    private final FocalCodecConfig.WavLMConfig config;
    private final FeatureExtractor featureExtractor;
    private final LayerNorm norm;
    private final Linear featureProj;
    private final PositionalEmbedding positionalEmbedding;
    private final RelativePositionBias relativeEmbedding;
    private final TransformerLayer[] layers;

    /** Streaming state: conv contexts, positional-conv context and per-layer KV caches. */
    public static final class State {
        final CausalContext[] convs;
        final CausalContext pos;
        final KVCache[] caches;

        State(CausalContext[] convs, CausalContext pos, KVCache[] caches) {
            this.convs = convs;
            this.pos = pos;
            this.caches = caches;
        }

        /** Frames currently held in the attention caches ({@code curr_pos} of the reference). */
        public int cachedFrames() {
            return caches.length == 0 ? 0 : caches[0].length;
        }

        public void reset() {
            for (CausalContext c : convs) c.reset();
            pos.reset();
            for (KVCache c : caches) c.reset();
        }
    }

    public WavLM(StateDict sd, FocalCodecConfig.WavLMConfig c) {
        this.config = c;
        String p = "encoder";
        this.featureExtractor = new FeatureExtractor(sd, p + ".feature_extractor", c);
        int hidden = c.hiddenDims()[c.hiddenDims().length - 1];
        this.norm = new LayerNorm(sd, p + ".norm", hidden, 1e-5f);
        this.featureProj = new Linear(sd, p + ".feature_proj", hidden, c.dim(), true);
        this.positionalEmbedding = new PositionalEmbedding(sd, p + ".encoder.positional_embedding", c.dim(), c.convPos(), c.convPosGroups());
        this.relativeEmbedding = new RelativePositionBias(sd, p + ".encoder.relative_embedding.weight", c.numBuckets(), c.numHeads(), c.maxDistance());
        this.layers = new TransformerLayer[c.numLayers()];
        for (int l = 0; l < layers.length; l++)
            layers[l] = new TransformerLayer(sd, p + ".encoder.layers." + l, c.dim(), c.ffnDim(), c.numHeads(),
                    c.causal(), c.windowSize(), c.chunkFrames());
    }

    public State newState() {
        KVCache[] caches = new KVCache[layers.length];
        for (int l = 0; l < layers.length; l++) caches[l] = new KVCache(config.windowSize() - config.chunkFrames(), config.dim());
        return new State(featureExtractor.newContexts(), positionalEmbedding.newContext(), caches);
    }

    /**
     * @param sig   {@code [samples]} at 16 kHz
     * @param state causal streaming state (updated), or null for a fresh offline call
     * @param frames receives T
     * @return {@code [T, dim]}
     */
    public float[] forward(float[] sig, int samples, State state, int[] frames, Debug debug) {
        if (config.causal() && state == null) state = newState();
        State st = config.causal() ? state : null;
        float[] x = featureExtractor.forward(sig, samples, st == null ? null : st.convs, frames, debug);
        int t = frames[0];
        norm.apply(x, t, x);
        debug.put("encoder.norm", x, t);
        x = featureProj.forward(x, t);
        debug.put("encoder.feature_proj", x, t);
        float[] pos = positionalEmbedding.forward(x, t, st == null ? null : st.pos);
        debug.put("encoder.encoder.positional_embedding", pos, t);
        for (int i = 0; i < pos.length; i++) x[i] += pos[i];
        for (int l = 0; l < layers.length; l++) {
            x = layers[l].forward(x, t, relativeEmbedding, st == null ? null : st.caches[l]);
            debug.put("encoder.encoder.layers." + l, x, t);
        }
        return x;
    }

    public FocalCodecConfig.WavLMConfig config() {
        return config;
    }

    /** Exposed for the golden bucket-table test. */
    public static int relativePositionBucket(int rel, int numBuckets, int maxDistance) {
        return RelativePositionBias.bucket(rel, numBuckets, maxDistance);
    }
}
