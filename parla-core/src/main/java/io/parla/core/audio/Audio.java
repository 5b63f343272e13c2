package io.parla.core.audio;

import java.util.Objects;

/**
 * Mono audio as 32-bit floats with a nominal range of [-1, 1].
 *
 * <p>The array is shared, not copied: audio buffers are large and are handed from reader to model to writer,
 * so callers that need an independent copy make one themselves.
 */
public record Audio(float[] samples, int sampleRate) {
    public Audio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + sampleRate);
    }

    public int length() {
        return samples.length;
    }

    public double durationSeconds() {
        return (double) samples.length / sampleRate;
    }

    @Override
    public String toString() {
        return "Audio[" + samples.length + " samples, " + sampleRate + " Hz, " + durationSeconds() + " s]";
    }
}
