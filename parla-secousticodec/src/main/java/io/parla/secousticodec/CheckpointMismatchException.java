package io.parla.secousticodec;

import java.util.List;

/**
 * A checkpoint does not match the architecture given by the config: lists every missing, unexpected and
 * mis-shaped tensor in one message (the official loader uses {@code strict=False} and silently ignores
 * them; a half-loaded model produces plausible-sounding garbage, so Parla refuses).
 */
public final class CheckpointMismatchException extends RuntimeException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> misshaped;

    public CheckpointMismatchException(String what, List<String> missing, List<String> unexpected, List<String> misshaped) {
        super(message(what, missing, unexpected, misshaped));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.misshaped = List.copyOf(misshaped);
    }

    private static String message(String what, List<String> missing, List<String> unexpected, List<String> misshaped) {
        StringBuilder sb = new StringBuilder(what).append(" does not match the configured architecture:");
        append(sb, "missing", missing);
        append(sb, "unexpected", unexpected);
        append(sb, "wrong shape", misshaped);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String label, List<String> items) {
        if (items.isEmpty()) return;
        sb.append("\n  ").append(items.size()).append(' ').append(label).append(':');
        int n = 0;
        for (String s : items) {
            if (n++ == 50) {
                sb.append("\n    ... and ").append(items.size() - 50).append(" more");
                break;
            }
            sb.append("\n    ").append(s);
        }
    }

    /** Names of required tensors that the checkpoint lacks. */
    public List<String> missing() { return missing; }
    /** Names of tensors the architecture has no place for. */
    public List<String> unexpected() { return unexpected; }
    /** "name: expected [..], found [..]" entries. */
    public List<String> misshaped() { return misshaped; }
}
