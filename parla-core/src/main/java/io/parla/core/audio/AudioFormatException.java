package io.parla.core.audio;

/**
 * An audio file that cannot be read. The message is always {@code <file>: <problem>} so that a failure deep
 * inside a batch job over thousands of files still says which file to look at.
 */
public final class AudioFormatException extends RuntimeException {
    private final String file;
    private final String problem;

    public AudioFormatException(String file, String problem) {
        super(file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    public AudioFormatException(String file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.file = file;
        this.problem = problem;
    }

    /** The name the reader was given for the input (a path, or the caller's name for a stream). */
    public String file() {
        return file;
    }

    /** The problem alone, without the file name. */
    public String problem() {
        return problem;
    }
}
