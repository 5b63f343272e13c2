package io.parla.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;

/** Locates the committed test fixtures and reads them as bytes. */
final class TestFiles {
    private TestFiles() {}

    static byte[] bytes(String resource) {
        try (InputStream in = TestFiles.class.getResourceAsStream("/audio/" + resource)) {
            if (in == null) throw new IllegalArgumentException("no test resource " + resource);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path path(String resource) {
        try {
            return Paths.get(TestFiles.class.getResource("/audio/" + resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
