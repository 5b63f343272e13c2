package io.parla.cli;

import io.parla.focalcodec.FocalCodec;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code --model DIR}: a Hugging Face-style snapshot directory; the shipped default model when omitted. */
final class ModelOption {
    @Option(names = "--model", paramLabel = "DIR",
            description = "Model directory (config.json + model.safetensors). Default: the bundled Parla model.")
    Path model;

    Path resolve() {
        if (model != null) return model;
        Path dir = defaultModelDir();
        if (!Files.isDirectory(dir))
            throw new IllegalArgumentException("no --model given and the default model is missing at " + dir);
        return dir;
    }

    FocalCodec load() {
        return FocalCodec.load(resolve());
    }

    static Path defaultModelDir() {
        String home = System.getProperty("parla.home");
        if (home == null) home = System.getenv("PARLA_HOME");
        Path base = home == null ? Path.of(".") : Path.of(home);
        return base.resolve("models").resolve("parla-default");
    }
}
