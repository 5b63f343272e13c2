package io.parla.core.audio;

import java.util.Arrays;

/**
 * An output buffer for decoders whose final length is only claimed by a header. It starts at a capacity the
 * caller has bounded by the input actually present and grows only as samples are really decoded, so a forged
 * header cannot make a small file allocate gigabytes.
 */
final class GrowableFloats {
    /** The largest array length every JVM accepts. */
    static final int MAX_LENGTH = Integer.MAX_VALUE - 8;

    private float[] data;
    private int size;

    GrowableFloats(long initialCapacity) {
        data = new float[(int) Math.clamp(initialCapacity, 16, MAX_LENGTH)];
    }

    /** Makes room for {@code n} more samples and returns the array to write them at {@link #size()}. */
    float[] reserve(int n, String name) {
        long needed = (long) size + n;
        if (needed > MAX_LENGTH)
            throw new AudioFormatException(name, "audio too long (more than " + MAX_LENGTH + " samples)");
        if (needed > data.length) data = Arrays.copyOf(data, (int) Math.min(MAX_LENGTH, Math.max(needed,
                data.length + (data.length >> 1))));
        return data;
    }

    void advance(int n) {
        size += n;
    }

    int size() {
        return size;
    }

    /** The samples, without a copy when the initial capacity was exact. */
    float[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
