package io.parla.train.data;

import io.parla.core.audio.Audio;
import io.parla.core.audio.AudioFiles;
import io.parla.core.audio.Resampler;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads one file as 16 kHz mono floats with the pure-Java decoders of parla-core ({@link AudioFiles}: WAV, FLAC)
 * and its resampler. An optional cache directory of pre-decoded WAV files mirroring the corpus layout is used
 * first when it holds the file.
 */
public final class AudioLoader {
    private final Path root;
    private final Path wavCache;

    public AudioLoader(Path root, Path wavCache) {
        this.root = root;
        this.wavCache = wavCache;
    }

    public float[] load16k(String relPath) throws IOException {
        if (wavCache != null) {
            Path cached = wavCache.resolve(relPath.replaceAll("\\.[^./]+$", ".wav"));
            if (Files.isRegularFile(cached)) {
                Audio a = AudioFiles.read(cached);
                return to16k(a.samples(), a.sampleRate());
            }
        }
        Path src = root.resolve(relPath);
        if (!Files.isRegularFile(src)) throw new IOException(src + ": no such file");
        try {
            Audio a = AudioFiles.read(src);
            return to16k(a.samples(), a.sampleRate());
        } catch (RuntimeException e) {
            throw new IOException(src + ": " + e.getMessage(), e);
        }
    }

    private static float[] to16k(float[] x, int rate) {
        return rate == 16000 ? x : Resampler.resample(x, rate, 16000);
    }
}
