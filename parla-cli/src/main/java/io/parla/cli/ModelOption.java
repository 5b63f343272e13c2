package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
import io.parla.core.tensor.DType;
import io.parla.focalcodec.FocalCodec;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --model DIR}: a Hugging Face-style snapshot directory; the shipped default model when omitted. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory (config.json + weights). Default: the bundled Parla model.")
    Path model;

    @Option(names = "--weights", paramLabel = "f32|bf16",
            description = "Compute with weights converted to this type (default: as stored).")
    String weights;

    Path resolve() {
        if (model != null) return model;
        Path dir = defaultModelDir();
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("no --model given and the default model is missing at " + dir);
        return dir;
    }

    DType weightType() {
        if (weights == null) return null;
        return switch (weights.toLowerCase(java.util.Locale.ROOT)) {
            case "f32" -> DType.F32;
            case "bf16" -> DType.BF16;
            default -> throw new IllegalArgumentException("--weights must be f32 or bf16, not " + weights);
        };
    }

    /** Any supported family. */
    SpeechCodec open() {
        return CodecFamilies.open(resolve(), weightType());
    }

    /** A FocalCodec model (for the commands that drive its sessions directly). */
    FocalCodec load() {
        Path dir = resolve();
        String family = CodecFamilies.family(dir);
        if (!family.equals("focalcodec"))
            throw new IllegalArgumentException(dir + ": this command supports FocalCodec models; this one is " + family);
        return FocalCodec.load(dir, weightType());
    }

    static Path defaultModelDir() {
        String home = System.getProperty("parla.home");
        if (home == null) home = System.getenv("PARLA_HOME");
        Path base = home == null ? Path.of(".") : Path.of(home);
        return base.resolve("models").resolve("parla-default");
    }
}
