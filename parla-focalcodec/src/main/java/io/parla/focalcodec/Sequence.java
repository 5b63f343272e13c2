package io.parla.focalcodec;

/** A {@code [frames, channels]} float sequence (batch 1), row-major: frame t is {@code data[t*C .. t*C+C)}. */
public record Sequence(float[] data, int frames, int channels) {
    public Sequence {
        if (data.length != (long) frames * channels)
            throw new IllegalArgumentException(data.length + " values do not make " + frames + " x " + channels);
    }

    public float get(int frame, int channel) {
        return data[frame * channels + channel];
    }
}
