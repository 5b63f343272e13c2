package io.parla.eval;

/**
 * The objective scores of one decoded file: {@link Stoi}, {@link Estoi}, {@link SiSdr} (dB),
 * {@link MelDistance}, the delay that {@link DelayCompensation} removed first (ms, positive: the decoded
 * signal was late), and the {@link Pitch} scores F0 match and GPE (fractions; F0 match NaN when the reference
 * has no voiced frame, GPE NaN when no frame is voiced in both).
 */
public record MetricScores(double stoi, double estoi, double siSdrDb, double melDistance, double delayMs,
                           double f0Match, double gpe) {
}
