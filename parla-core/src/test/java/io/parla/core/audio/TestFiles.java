package io.parla.core.audio;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.net.URISyntaxException;

import org.assertj.core.api.ThrowableAssert;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * Asserts bit-identical samples, naming the first difference. (AssertJ's containsExactly compares arrays in
     * quadratic time, which takes seconds at the length of real recordings.)
     */
    static void assertSameSamples(float[] actual, float[] expected, String what) {
        org.assertj.core.api.Assertions.assertThat(actual.length).as("%s: length", what).isEqualTo(expected.length);
        int mismatch = java.util.Arrays.mismatch(actual, expected);
        if (mismatch >= 0)
            throw new AssertionError(what + ": sample " + mismatch + " is " + actual[mismatch] + ", expected "
                    + expected[mismatch]);
    }

    /** Asserts that reading fails with an AudioFormatException saying exactly {@code "<file>: <problem>"}. */
    static void assertRejected(ThrowableAssert.ThrowingCallable read, Object file, String problem) {
        assertThatThrownBy(read).isInstanceOf(AudioFormatException.class).hasMessage(file + ": " + problem);
    }

    static Path path(String resource) {
        try {
            return Paths.get(TestFiles.class.getResource("/audio/" + resource).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
