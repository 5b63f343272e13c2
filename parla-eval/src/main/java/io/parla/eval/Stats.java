package io.parla.eval;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Summary statistics over the finite values of a column; NaN when there are none. */
final class Stats {
    private Stats() {
    }

    static <T> double[] finite(List<T> rows, ToDoubleFunction<T> column) {
        return rows.stream().mapToDouble(column).filter(Double::isFinite).sorted().toArray();
    }

    static double mean(double[] v) {
        return v.length == 0 ? Double.NaN : Arrays.stream(v).sum() / v.length;
    }

    /** Linear-interpolated quantile of sorted values, {@code q} in [0, 1]. */
    static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) return Double.NaN;
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }

    static double median(double[] sorted) {
        return quantile(sorted, 0.5);
    }
}
