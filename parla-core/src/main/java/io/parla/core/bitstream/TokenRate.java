package io.parla.core.bitstream;

/**
 * Tokens per second as an exact fraction {@code numerator / denominator}, each 1..2^32-1, stored as written
 * (not reduced): 50/1 for FocalCodec-Stream, 25/2, 2205/100, 11025/128 (SecoustiCodec 86 Hz) ...
 */
public record TokenRate(long numerator, long denominator) {
    static final long MAX = 0xFFFF_FFFFL;

    public TokenRate {
        if (numerator < 1 || numerator > MAX || denominator < 1 || denominator > MAX) {
            throw new IllegalArgumentException("token rate " + numerator + "/" + denominator
                    + " invalid: numerator and denominator must be 1..4294967295");
        }
    }

    public static TokenRate of(long numerator, long denominator) {
        return new TokenRate(numerator, denominator);
    }

    /** Tokens per second as a double (for display; use the fraction for exact arithmetic). */
    public double hz() {
        return (double) numerator / denominator;
    }

    /** Payload bits per second for a codebook of {@code codebookBits} bits: {@code bits * numerator / denominator}. */
    public double bitsPerSecond(int codebookBits) {
        return (double) codebookBits * numerator / denominator;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
