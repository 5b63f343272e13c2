package io.parla.focalcodec;

/** A {@code config.json} that cannot describe a FocalCodec model; the message names the file and key. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
