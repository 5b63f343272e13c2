package io.parla.core.bitstream;

/**
 * A Parla bitstream (file, header or network packet) that cannot be read or written as asked. The message
 * names the source, where the problem is (packet number and byte offset when known) and what is wrong, e.g.
 * {@code "in.parla: packet 12 at byte 4711: CRC mismatch (data corrupted)"}.
 */
public final class BitstreamException extends RuntimeException {
    public BitstreamException(String message) {
        super(message);
    }

    public BitstreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
