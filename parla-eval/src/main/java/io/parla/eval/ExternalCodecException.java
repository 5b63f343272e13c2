package io.parla.eval;

/** An external codec program is missing, failed, timed out or wrote something unexpected. */
public class ExternalCodecException extends RuntimeException {
    public ExternalCodecException(String message) {
        super(message);
    }

    public ExternalCodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
