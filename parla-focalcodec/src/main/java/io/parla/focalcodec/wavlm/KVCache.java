package io.parla.focalcodec.wavlm;

/**
 * Keys and values of one attention layer for the frames before the current chunk: at most
 * {@code window - chunk} frames, in a ring (appending never moves old rows), so a stream's memory and
 * per-chunk cost are bounded whatever its length.
 */
final class KVCache {
    final int capacity, dim;
    final float[] keys, values; // [capacity, dim] ring
    int start, length;

    KVCache(int capacity, int dim) {
        this.capacity = capacity;
        this.dim = dim;
        this.keys = new float[capacity * dim];
        this.values = new float[capacity * dim];
    }

    /** Array offset of logical row {@code j} (0 = oldest). */
    int row(int j) {
        int p = start + j;
        return (p >= capacity ? p - capacity : p) * dim;
    }

    /** Appends {@code frames} rows of k and v (row stride {@code stride}), dropping the oldest beyond capacity. */
    void append(float[] k, int kOff, float[] v, int vOff, int stride, int frames) {
        for (int t = Math.max(0, frames - capacity); t < frames; t++) {
            int dst;
            if (length < capacity) {
                dst = row(length);
                length++;
            } else {
                dst = start * dim;
                start = start + 1 == capacity ? 0 : start + 1;
            }
            System.arraycopy(k, kOff + t * stride, keys, dst, dim);
            System.arraycopy(v, vOff + t * stride, values, dst, dim);
        }
    }

    void reset() {
        start = 0;
        length = 0;
    }
}
