package io.parla.core.audio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class FlacReaderTest {
    /** Each fixture's .wav is the reference decoder's output; equal floats mean equal integer channel sums. */
    @ParameterizedTest
    @ValueSource(strings = {"mono16", "stereo16-modes", "stereo24", "stereo8", "stereo32", "stereo32-side",
            "wasted16", "fixed16", "lpc32-lax", "blocksize192", "six-channels", "mono12", "three-channels20",
            "verbatim-constant16"})
    void decodesLikeTheReferenceDecoder(String name) {
        Audio flac = FlacReader.read(TestFiles.path("flac/" + name + ".flac"));
        Audio reference = WavReader.read(TestFiles.path("flac/" + name + ".wav"));
        assertThat(flac.sampleRate()).isEqualTo(reference.sampleRate());
        assertThat(flac.samples()).containsExactly(reference.samples());
    }
}
