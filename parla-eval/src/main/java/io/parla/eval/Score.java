package io.parla.eval;

import java.util.function.ToDoubleFunction;

/** The per-file scores of a {@link FileResult}, which way is better, and the decimals that show their differences. */
public enum Score {
    STOI("STOI", FileResult::stoi, true, 4),
    ESTOI("ESTOI", FileResult::estoi, true, 4),
    SI_SDR("SI-SDR dB", FileResult::siSdrDb, true, 2),
    MEL_DISTANCE("mel distance", FileResult::melDistance, false, 4),
    F0_MATCH("F0 match", FileResult::f0Match, true, 3),
    GPE("GPE", FileResult::gpe, false, 3);

    private final String label;
    private final ToDoubleFunction<FileResult> value;
    private final boolean higherIsBetter;
    private final int decimals;

    Score(String label, ToDoubleFunction<FileResult> value, boolean higherIsBetter, int decimals) {
        this.label = label;
        this.value = value;
        this.higherIsBetter = higherIsBetter;
        this.decimals = decimals;
    }

    public String label() { return label; }

    /** This score of {@code r}; NaN when undefined. */
    public double of(FileResult r) { return value.applyAsDouble(r); }

    public boolean higherIsBetter() { return higherIsBetter; }

    /** Decimals of a mean over files; a difference between two such means gets one more. */
    public int decimals() { return decimals; }
}
