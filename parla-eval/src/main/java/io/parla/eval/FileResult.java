package io.parla.eval;

/**
 * Scores of one input file through one codec. {@code file} is the path as given to the {@link Evaluator};
 * {@code codec} its name (e.g. {@code focalcodec:50hz}, {@code opus:6}); {@code bitsPerSecond} may be NaN
 * when the codec does not report it; {@code delayMs} is the delay compensated before scoring; {@code f0Match}
 * and {@code gpe} are the {@link Pitch} scores, NaN when undefined or when read from a report written before
 * they existed.
 */
public record FileResult(String file, String codec, double bitsPerSecond, double stoi, double estoi,
                         double siSdrDb, double melDistance, double delayMs, double f0Match, double gpe) {
    public FileResult {
        if (file == null || codec == null) throw new IllegalArgumentException("file and codec are required");
    }

    public static FileResult of(String file, String codec, double bitsPerSecond, MetricScores s) {
        return new FileResult(file, codec, bitsPerSecond, s.stoi(), s.estoi(), s.siSdrDb(), s.melDistance(), s.delayMs(),
                s.f0Match(), s.gpe());
    }
}
