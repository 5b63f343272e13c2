package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
import io.parla.core.json.Json;
import io.parla.core.json.JsonException;
import io.parla.core.tensor.DType;
import io.parla.focalcodec.ConfigException;
import io.parla.focalcodec.FocalCodec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/** Opens a model directory with the runtime of the family its {@code config.json} names. */
final class CodecFamilies {
    private CodecFamilies() {}

    static SpeechCodec open(Path dir, DType weights) {
        String family = family(dir);
        return switch (family) {
            case "focalcodec" -> new FocalCodecAdapter(FocalCodec.load(dir, weights));
            default -> throw new ConfigException(dir.resolve("config.json") + ": unknown model_family '" + family
                    + "' (known: focalcodec, secousticodec)");
        };
    }

    /** {@code model_family} of the config; official FocalCodec configs have none. */
    static String family(Path dir) {
        if (!Files.isDirectory(dir)) throw new ConfigException(dir + ": not a model directory (no such directory)");
        Path cfg = dir.resolve("config.json");
        try {
            Map<String, Object> root = Json.parseObject(Files.readString(cfg));
            Object f = root.get("model_family");
            return f == null ? "focalcodec" : String.valueOf(f).toLowerCase(java.util.Locale.ROOT);
        } catch (NoSuchFileException e) {
            throw new ConfigException(cfg + ": no config.json (a model directory holds config.json + weights)");
        } catch (IOException e) {
            throw new ConfigException(cfg + ": cannot read: " + e.getMessage());
        } catch (JsonException e) {
            throw new ConfigException(cfg + ": not valid JSON: " + e.getMessage());
        }
    }
}
