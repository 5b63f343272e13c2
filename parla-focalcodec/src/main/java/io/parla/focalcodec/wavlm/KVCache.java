package io.parla.focalcodec.wavlm;

/**
 * Keys and values of one attention layer for the frames before the current chunk: at most
 * {@code window - chunk} frames, so the memory of a stream is bounded whatever its length.
 */
final class KVCache {
    final int capacity, dim;
    float[] keys, values; // [capacity, dim], rows [0, length) valid, oldest first
    int length;

    KVCache(int capacity, int dim) {
        this.capacity = capacity;
        this.dim = dim;
        this.keys = new float[capacity * dim];
        this.values = new float[capacity * dim];
    }

    /** Appends {@code frames} rows of k and v (row stride {@code stride}) and drops the oldest beyond capacity. */
    void append(float[] k, int kOff, float[] v, int vOff, int stride, int frames) {
        int keepNew = Math.min(frames, capacity);
        int skipNew = frames - keepNew;
        int keepOld = Math.min(length, capacity - keepNew);
        if (keepOld < length) {
            int drop = length - keepOld;
            System.arraycopy(keys, drop * dim, keys, 0, keepOld * dim);
            System.arraycopy(values, drop * dim, values, 0, keepOld * dim);
        }
        for (int t = 0; t < keepNew; t++) {
            System.arraycopy(k, kOff + (skipNew + t) * stride, keys, (keepOld + t) * dim, dim);
            System.arraycopy(v, vOff + (skipNew + t) * stride, values, (keepOld + t) * dim, dim);
        }
        length = keepOld + keepNew;
    }

    void reset() {
        length = 0;
    }
}
