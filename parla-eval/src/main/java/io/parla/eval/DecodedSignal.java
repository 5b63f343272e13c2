package io.parla.eval;

/**
 * A codec's output: mono samples at {@code rate} Hz (which may differ from the input rate) and the bitrate
 * the codec spent, in bits per second of input audio ({@code NaN} when unknown).
 */
public record DecodedSignal(float[] samples, int rate, double bitsPerSecond) {
    public DecodedSignal {
        if (samples == null) throw new IllegalArgumentException("decoded samples are null");
        if (rate <= 0) throw new IllegalArgumentException("decoded sample rate must be positive: " + rate);
        if (bitsPerSecond < 0 || Double.isInfinite(bitsPerSecond)) throw new IllegalArgumentException("invalid bitrate " + bitsPerSecond);
    }

    /** Output for which the codec reports a total bit count for {@code inputSamples} samples at {@code inputRate}. */
    public static DecodedSignal ofTotalBits(float[] samples, int rate, long bits, int inputSamples, int inputRate) {
        return new DecodedSignal(samples, rate, Bitrate.bitsPerSecond(bits, inputSamples, inputRate));
    }
}
