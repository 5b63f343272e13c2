package io.parla.focalcodec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The six official FocalCodec configurations (FACTS.md section 9), as {@code config.json} texts, addressed
 * as {@code official:<name>}.
 */
public final class OfficialConfigs {
    public static final List<String> NAMES = List.of("focalcodec_50hz", "focalcodec_25hz", "focalcodec_12_5hz",
            "focalcodec_50hz_2k_causal", "focalcodec_50hz_4k_causal", "focalcodec_50hz_65k_causal");

    private OfficialConfigs() {}

    /** @param name {@code focalcodec_50hz} or {@code official:focalcodec_50hz} */
    public static String json(String name) {
        String n = name.startsWith("official:") ? name.substring("official:".length()) : name;
        if (!NAMES.contains(n))
            throw new ConfigException("unknown official config '" + name + "'; known: official:" + String.join(", official:", NAMES));
        try (InputStream in = OfficialConfigs.class.getResourceAsStream("official/" + n + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static FocalCodecConfig config(String name) {
        return FocalCodecConfig.parse(json(name), name);
    }
}
