package io.parla.eval;

/**
 * The objective scores of one decoded file: {@link Stoi}, {@link Estoi}, {@link SiSdr} (dB),
 * {@link MelDistance} and the delay that {@link DelayCompensation} removed first (ms, positive: the decoded
 * signal was late).
 */
public record MetricScores(double stoi, double estoi, double siSdrDb, double melDistance, double delayMs) {
}
