package io.parla.eval;

/** Bitrate arithmetic: bits per second of audio, {@code bits / seconds}. */
public final class Bitrate {
    private Bitrate() {
    }

    /** {@code bits / seconds}; seconds must be positive. */
    public static double bitsPerSecond(long bits, double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("duration must be positive: " + seconds + " s");
        if (bits < 0) throw new IllegalArgumentException("negative bit count: " + bits);
        return bits / seconds;
    }

    /** Bits per second for {@code bits} spent on {@code samples} samples at {@code rate} Hz. */
    public static double bitsPerSecond(long bits, long samples, int rate) {
        if (rate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + rate);
        return bitsPerSecond(bits, (double) samples / rate);
    }

    /** Formats a bitrate for people: {@code "700 bit/s"}, {@code "6.0 kbit/s"}, {@code "1.20 Mbit/s"}. */
    public static String format(double bitsPerSecond) {
        if (Double.isNaN(bitsPerSecond)) return "n/a";
        if (bitsPerSecond < 1000) return String.format(java.util.Locale.ROOT, "%.0f bit/s", bitsPerSecond);
        if (bitsPerSecond < 1e6) return String.format(java.util.Locale.ROOT, "%.1f kbit/s", bitsPerSecond / 1e3);
        return String.format(java.util.Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
    }
}
