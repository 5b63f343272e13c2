package io.parla.secousticodec;

import io.parla.core.audio.Resampler;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input at other rates goes through the core resampler. The golden tokens were computed from
 * {@code input.wav}, which the reference made from {@code input_48k.wav} with torchaudio's resampler (a
 * different filter from Parla's), so resampled input is compared by agreement, not equality.
 */
class ResamplingTest {
    private static final float[] WAV = Golden.readWav(Golden.DIR.resolve("input.wav"));

    private static int agreement(int[] a, int[] b) {
        assertThat(a).hasSameSizeAs(b);
        int n = 0;
        for (int i = 0; i < a.length; i++) if (a[i] == b[i]) n++;
        System.out.printf("[secousticodec resampling] %d/%d tokens identical%n", n, a.length);
        return n;
    }

    @Test
    void input48kHzGivesTheGoldenTokensMostly() {
        float[] x48 = Golden.readWav(Golden.DIR.resolve("input_48k.wav"));
        assertThat(x48).hasSize(144000);
        SecoustiCodec.Encoding e = Golden.codec().encode(x48, 48000);
        int[] golden = Golden.ints(Golden.expected().get("tokens"));
        assertThat(agreement(e.tokens(), golden)).isGreaterThanOrEqualTo(golden.length * 8 / 10);
        Golden.check("paralinguistic (48 kHz input)", e.paralinguistic(), Golden.expected().get("paralinguistic_embed"), 0.05);
        // the resampled waveform itself, against torchaudio's (float, before the reference's 16-bit rounding): the
        // filters differ above 0.9 of 11.025 kHz (Parla's passband edge; torchaudio rolls off at 0.99), far above
        // the mel's 8 kHz
        Golden.check("resampled 48k -> 22.05k vs torchaudio", Resampler.resample(x48, 48000, 22050),
                Golden.expected().get("resampled_22k"), 0.05);
    }

    @Test
    void roundTripThrough44kHzKeepsTheTokens() {
        float[] up = Resampler.resample(WAV, 22050, 44100);
        int[] toks = Golden.codec().sigToToks(up, 44100);
        int[] golden = Golden.ints(Golden.expected().get("tokens"));
        assertThat(agreement(toks, golden)).isGreaterThanOrEqualTo(golden.length * 9 / 10);
    }

    @Test
    void input16kHzIsAcceptedAndGivesTheTokenCountOfItsLength() {
        // the official loader refuses rates below 22.05 kHz; Parla resamples them up
        float[] x16 = Resampler.resample(WAV, 22050, 16000);
        int n22 = (int) Resampler.outputLength(x16.length, 16000, 22050);
        int frames = n22 / 256, tokens = (frames + 3) / 4;
        SecoustiCodec.Encoding e = Golden.codec().encode(x16, 16000);
        assertThat(e.tokens()).hasSize(tokens);
        assertThat(e.paralinguistic()).hasSize(32);
        agreement(e.tokens(), Golden.ints(Golden.expected().get("tokens")));  // informative: 8 kHz band lost
    }
}
