package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Coverage-guided fuzzing of {@link ParlaReader}. Under a plain {@code mvn test} Jazzer runs in regression mode:
 * it replays the seed files in {@code src/test/resources/io/parla/core/bitstream/ParlaReaderFuzzTestInputs/readAnything/}
 * (valid files written by {@link BitstreamSpecExamplesTest}, plus any crash found earlier) and finishes in about a
 * second. To fuzz for real (see docs/bitstream.md):
 *
 * <pre>JAZZER_FUZZ=1 ./mvnw -pl parla-core test -Dtest=ParlaReaderFuzzTest -Djazzer.max_duration=10m</pre>
 *
 * The property: whatever the bytes, reading ends in tokens or in a {@link BitstreamException}; nothing else
 * escapes, nothing hangs. A stream that reads cleanly re-encodes to a stream that reads back the same and is no
 * longer than the original.
 */
class ParlaReaderFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void readAnything(byte[] data) {
        ParlaHeader header;
        int[] tokens;
        try (ParlaReader r = new ParlaReader(new ByteArrayInputStream(data), "fuzz.parla")) {
            header = r.header();
            tokens = r.readAll();
        } catch (BitstreamException expected) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array cannot fail to read
        }
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        try (ParlaWriter w = new ParlaWriter(again, header, "again.parla")) {
            w.writeTokens(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(again.size()).isLessThanOrEqualTo(data.length);
        try (ParlaReader r = new ParlaReader(new ByteArrayInputStream(again.toByteArray()), "again.parla")) {
            assertThat(r.header()).isEqualTo(header);
            assertThat(r.readAll()).isEqualTo(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
