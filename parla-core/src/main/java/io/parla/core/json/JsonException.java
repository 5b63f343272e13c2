package io.parla.core.json;

/** Malformed JSON; the message says what and where. */
public final class JsonException extends RuntimeException {
    public JsonException(String message) {
        super(message);
    }
}
