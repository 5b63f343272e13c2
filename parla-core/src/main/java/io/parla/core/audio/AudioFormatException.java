package io.parla.core.audio;

/**
 * An audio file that cannot be read. The message is always {@code <file>: <problem>} so that a failure deep
 * inside a batch job over thousands of files still says which file to look at.
 */
public final class AudioFormatException extends RuntimeException {
    private final String file;

    public AudioFormatException(String file, String problem) {
        this(file, problem, null);
    }

    public AudioFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
    }

    /** The name the reader was given for the input (a path, or the caller's name for a stream). */
    public String file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return getMessage().substring(file.length() + 2);
    }
}
