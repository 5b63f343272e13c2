package io.parla.core.nn;

import java.util.List;

/**
 * A checkpoint that does not fit its configuration. One exception lists every missing, unexpected and
 * mis-shaped tensor, so a user fixes the whole file (or the config) at once.
 */
public final class CheckpointMismatchException extends RuntimeException {
    private final List<String> missing, unexpected, misshaped;

    public CheckpointMismatchException(String source, List<String> missing, List<String> unexpected,
                                       List<String> misshaped) {
        super(message(source, missing, unexpected, misshaped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.misshaped = List.copyOf(misshaped);
    }

    public List<String> missing() { return missing; }
    public List<String> unexpected() { return unexpected; }
    public List<String> misshaped() { return misshaped; }

    private static String message(String source, List<String> missing, List<String> unexpected, List<String> misshaped) {
        StringBuilder b = new StringBuilder(source).append(": checkpoint does not fit the config (")
                .append(missing.size()).append(" missing, ").append(unexpected.size()).append(" unexpected, ")
                .append(misshaped.size()).append(" mis-shaped tensors)");
        section(b, "missing", missing);
        section(b, "unexpected", unexpected);
        section(b, "mis-shaped", misshaped);
        return b.toString();
    }

    private static void section(StringBuilder b, String title, List<String> items) {
        if (items.isEmpty()) return;
        b.append("\n  ").append(title).append(':');
        int shown = 0;
        for (String s : items) {
            if (shown++ == 40) {
                b.append("\n    ... and ").append(items.size() - 40).append(" more");
                break;
            }
            b.append("\n    ").append(s);
        }
    }
}
