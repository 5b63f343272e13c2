package io.parla.eval;

/**
 * Scores a decoded signal against its reference with every metric of this package, in this order:
 * <ol>
 *   <li>the decoded signal is resampled to the reference rate when the codec outputs another rate (for
 *       example 24 kHz output for 16 kHz input);</li>
 *   <li>optionally, {@link DelayCompensation} removes the codec delay (±250 ms search); either way both
 *       signals are cut to their common length;</li>
 *   <li>{@link Stoi} and {@link Estoi} (at 10 kHz, sharing one analysis), {@link SiSdr} (at the reference
 *       rate) and {@link MelDistance} (at 16 kHz);</li>
 *   <li>{@link Pitch}: F0 match and gross pitch error of the aligned pair, at the reference rate (the pitch
 *       tracker scales its lags and window to any rate of 4 kHz or more; NaN below).</li>
 * </ol>
 */
public final class QualityMetrics {
    private QualityMetrics() {
    }

    /** Scores plus the aligned signals they were computed on (at the reference rate). */
    public record Comparison(MetricScores scores, DelayCompensation.Alignment alignment) {
    }

    /** Scores with delay compensation; see {@link #compare(float[], int, float[], int, boolean)}. */
    public static MetricScores score(float[] reference, int referenceRate, float[] decoded, int decodedRate) {
        return compare(reference, referenceRate, decoded, decodedRate, true).scores();
    }

    public static Comparison compare(float[] reference, int referenceRate, float[] decoded, int decodedRate,
                                     boolean compensateDelay) {
        float[] dec = decodedRate == referenceRate ? decoded : Resampling.resample(decoded, decodedRate, referenceRate);
        DelayCompensation.Alignment a = compensateDelay
                ? DelayCompensation.align(reference, dec, referenceRate)
                : DelayCompensation.shift(reference, dec, referenceRate, 0);
        StoiFrontEnd.Envelopes env = StoiFrontEnd.analyse(a.reference(), a.decoded(), referenceRate);
        // below 4 kHz there is no pitch range left to track; the other scores still mean something
        Pitch.Accuracy pitch = referenceRate >= Pitch.MIN_RATE ? Pitch.compare(a.reference(), a.decoded(), referenceRate)
                : new Pitch.Accuracy(0, 0, 0, 0);
        MetricScores s = new MetricScores(
                Stoi.fromEnvelopes(env),
                Estoi.fromEnvelopes(env),
                SiSdr.compute(a.reference(), a.decoded()),
                MelDistance.compute(a.reference(), a.decoded(), referenceRate),
                a.delayMs(),
                pitch.f0Match(),
                pitch.gpe());
        return new Comparison(s, a);
    }
}
