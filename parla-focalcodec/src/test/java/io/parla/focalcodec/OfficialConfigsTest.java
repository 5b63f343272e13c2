package io.parla.focalcodec;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconstructed official configurations have exactly the parameter counts of the official state dicts. */
class OfficialConfigsTest {
    @Test
    void parameterCountsMatchTheOfficialCheckpoints() {
        Map<String, Long> expected = Map.of("focalcodec_50hz", 142_126_257L, "focalcodec_25hz", 144_223_409L,
                "focalcodec_12_5hz", 145_271_985L, "focalcodec_50hz_2k_causal", 249_036_441L,
                "focalcodec_50hz_4k_causal", 249_038_490L, "focalcodec_50hz_65k_causal", 249_046_686L);
        for (String name : OfficialConfigs.NAMES) {
            long n = 0;
            for (var s : FocalCodec.parameterSpecs(OfficialConfigs.config(name))) n += io.parla.core.tensor.Tensor.numel(s.shape());
            assertThat(n).as(name).isEqualTo(expected.get(name));
        }
    }

    @Test
    void derivedFactsOfTheCausalModels() {
        FocalCodecConfig c = OfficialConfigs.config("official:focalcodec_50hz_2k_causal");
        assertThat(c.tokenRate()).isEqualTo(50.0);
        assertThat(c.bitrate()).isEqualTo(550.0);
        assertThat(c.sampleRateOutput()).isEqualTo(24000);
        assertThat(c.latencyMs()).isEqualTo(80.0);
        assertThat(OfficialConfigs.config("focalcodec_12_5hz").bitrate()).isEqualTo(162.5);
        assertThat(OfficialConfigs.config("focalcodec_50hz_65k_causal").bitrate()).isEqualTo(800.0);
    }
}
