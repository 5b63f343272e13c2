package io.parla.core.audio;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A sequential byte input that counts its position and, for files and arrays, knows its length. Readers use the
 * length to reject sizes a header claims but the input cannot hold before allocating anything for them; for a
 * plain stream the length is unknown and readers must grow their buffers only as data actually arrives.
 *
 * <p>Every I/O failure becomes an {@link AudioFormatException} naming the input, so callers handle one type.
 */
final class ByteSource implements Closeable {
    static final long UNKNOWN_LENGTH = -1;

    private final InputStream in;
    private final String name;
    private final long length;
    private final boolean owned;
    private long position;

    private ByteSource(InputStream in, String name, long length, boolean owned) {
        this.in = in;
        this.name = name;
        this.length = length;
        this.owned = owned;
    }

    static ByteSource open(Path file) {
        String name = file.toString();
        if (Files.isDirectory(file)) throw new AudioFormatException(name, "is a directory, not an audio file");
        try {
            long size = Files.size(file);
            return new ByteSource(Files.newInputStream(file), name, size, true);
        } catch (NoSuchFileException e) {
            throw new AudioFormatException(name, "file not found", e);
        } catch (AccessDeniedException e) {
            throw new AudioFormatException(name, "permission denied", e);
        } catch (IOException e) {
            throw new AudioFormatException(name, "cannot open: " + e, e);
        }
    }

    static ByteSource of(byte[] bytes, String name) {
        return new ByteSource(new ByteArrayInputStream(bytes), name, bytes.length, true);
    }

    /** The caller keeps ownership of {@code in}: closing this source leaves it open. */
    static ByteSource of(InputStream in, String name) {
        return new ByteSource(in, name, UNKNOWN_LENGTH, false);
    }

    String name() {
        return name;
    }

    long position() {
        return position;
    }

    /** Bytes left before the end, or {@link Long#MAX_VALUE} when the length is unknown. */
    long remaining() {
        return length == UNKNOWN_LENGTH ? Long.MAX_VALUE : Math.max(0, length - position);
    }

    boolean lengthKnown() {
        return length != UNKNOWN_LENGTH;
    }

    AudioFormatException error(String problem) {
        return new AudioFormatException(name, problem);
    }

    /** Reads until {@code len} bytes are in or the input ends; returns how many arrived. */
    int readUpTo(byte[] b, int off, int len) {
        int total = 0;
        try {
            while (total < len) {
                int n = in.read(b, off + total, len - total);
                if (n < 0) break;
                total += n;
            }
        } catch (IOException e) {
            throw new AudioFormatException(name, "read error at byte " + (position + total) + ": " + e, e);
        }
        position += total;
        return total;
    }

    /** Skips up to {@code n} bytes and returns how many were skipped (fewer only at the end of the input). */
    long skip(long n) {
        long done = 0;
        byte[] scratch = null;
        try {
            while (done < n) {
                long s = in.skip(n - done);
                if (s > 0) {
                    done += s;
                    continue;
                }
                // skip() may return 0 both at the end and mid-stream; a read tells the two apart.
                if (scratch == null) scratch = new byte[8192];
                int r = in.read(scratch, 0, (int) Math.min(scratch.length, n - done));
                if (r < 0) break;
                done += r;
            }
        } catch (IOException e) {
            throw new AudioFormatException(name, "read error at byte " + (position + done) + ": " + e, e);
        }
        // A file stream's skip() happily moves past the end; only the known length says what was really there.
        if (length != UNKNOWN_LENGTH) done = Math.min(done, Math.max(0, length - position));
        position += done;
        return done;
    }

    /**
     * Reads everything that is left, refusing inputs larger than {@code limit} so a huge file fails cleanly instead
     * of exhausting memory.
     */
    byte[] readAll(int limit) {
        if (remaining() != Long.MAX_VALUE && remaining() > limit)
            throw error("file too large (" + remaining() + " bytes; at most " + limit + " supported)");
        try {
            byte[] all = in.readNBytes(limit);
            if (in.read() >= 0) throw error("file too large (more than " + limit + " bytes)");
            position += all.length;
            return all;
        } catch (IOException e) {
            throw new AudioFormatException(name, "read error: " + e, e);
        }
    }

    @Override
    public void close() {
        if (!owned) return;
        try {
            in.close();
        } catch (IOException e) {
            throw new AudioFormatException(name, "close failed: " + e, e);
        }
    }
}
