package io.parla.focalcodec;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class FlopCounterTest {
    private static final int TEN_SECONDS = 160_000;

    @Test
    void officialNonCausalMatchesTheReferenceFigure() {
        FlopCounter.Count c = FlopCounter.offline(OfficialConfigs.config("focalcodec_50hz"), TEN_SECONDS);
        assertThat(c.gflopPerAudioSecond()).isCloseTo(19.3, within(0.3));
        assertThat(c.encodeTotal()).isGreaterThan(c.decodeTotal());
    }

    @Test
    void officialCausalOfflineAndStreamingAgree() {
        FocalCodecConfig cfg = OfficialConfigs.config("focalcodec_50hz_2k_causal");
        FlopCounter.Count off = FlopCounter.offline(cfg, TEN_SECONDS);
        FlopCounter.Count live = FlopCounter.streaming(cfg, TEN_SECONDS);
        assertThat(off.gflopPerAudioSecond()).isCloseTo(27.2, within(0.3));
        assertThat(live.gflopPerAudioSecond()).isCloseTo(27.2, within(0.3));
        // the refiner runs once per 4-token group: 12.5 groups/s x 2 x 2 x 4096^2
        assertThat(live.decode().get("decompressor.refiner") / 10.0).isCloseTo(12.5 * 4 * 4096.0 * 4096, within(1e7));
    }

    @Test
    void lowerTokenRatesCostLessInTheCompressor() {
        long c50 = FlopCounter.offline(OfficialConfigs.config("focalcodec_50hz"), TEN_SECONDS).encode().get("compressor.feed_forward");
        long c12 = FlopCounter.offline(OfficialConfigs.config("focalcodec_12_5hz"), TEN_SECONDS).encode().get("compressor.feed_forward");
        assertThat(c12).isLessThan(c50);
    }

    @Test
    void decoderCostIsLinearInRefinerGroups() {
        FocalCodecConfig cfg = OfficialConfigs.config("focalcodec_50hz_4k_causal");
        long one = FlopCounter.streaming(cfg, cfg.chunkSamples()).decodeTotal();
        long ten = FlopCounter.streaming(cfg, 10 * cfg.chunkSamples()).decodeTotal();
        assertThat(ten).isEqualTo(10 * one);
        // WaveNeXt: 8 ConvNeXt blocks of 2 x 1024 x 2048 plus a 7-tap 1024 x 1024 embedding dominate, per frame
        long perFrame = FlopCounter.streaming(cfg, cfg.chunkSamples()).decode().get("decoder.convnext") / 4;
        assertThat(perFrame).isEqualTo(2L * 8 * (1024L * 7 + 2L * 1024 * 2048));
    }

    @Test
    void nonCausalModelsDoNotStream() {
        assertThatThrownBy(() -> FlopCounter.streaming(OfficialConfigs.config("focalcodec_50hz"), 16000))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
