package io.parla.focalcodec.wavlm;

import io.parla.core.nn.StateDict;

/**
 * {@code encoder.encoder.relative_embedding}: T5-style bidirectional buckets of {@code rel = key - query}
 * (exact below num_buckets/4, logarithmic up to max_distance), one learned bias per bucket and head.
 */
final class RelativePositionBias {
    private final float[] table; // [numBuckets, heads]
    private final int heads, numBuckets, maxDistance;

    RelativePositionBias(StateDict sd, String name, int numBuckets, int heads, int maxDistance) {
        this.heads = heads;
        this.numBuckets = numBuckets;
        this.maxDistance = maxDistance;
        this.table = sd.vector(name, StateDict.Kind.EMBEDDING, numBuckets, heads);
    }

    /** Same arithmetic as the reference, in float32 (log of |rel| / max_exact, truncated toward zero). */
    static int bucket(int rel, int numBuckets, int maxDistance) {
        int nb = numBuckets / 2;
        int maxExact = nb / 2;
        int b = rel > 0 ? nb : 0;
        int a = Math.abs(rel);
        if (a < maxExact) return b + a;
        float ratio = (float) a / (float) maxExact;
        float scaled = (float) Math.log(ratio) / (float) Math.log((double) maxDistance / maxExact) * (float) (nb - maxExact);
        int large = maxExact + (int) scaled;
        return b + Math.min(nb - 1, large);
    }

    int bucket(int rel) {
        return bucket(rel, numBuckets, maxDistance);
    }

    float bias(int bucket, int head) {
        return table[bucket * heads + head];
    }

    /** Bias row per relative position in [-span, span] for one head: faster than bucketing per score. */
    float[] biasByOffset(int head, int span) {
        float[] out = new float[2 * span + 1];
        for (int r = -span; r <= span; r++) out[r + span] = bias(bucket(r), head);
        return out;
    }
}
