package io.parla.train.data;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads one file as 16 kHz mono floats. WAV is read here; FLAC (and other formats) go through
 * {@code io.parla.core.audio.AudioFiles} when that class is on the class path, or through a cache directory of
 * WAV files decoded beforehand ({@code flac -d}) that mirrors the corpus layout.
 */
public final class AudioLoader {
    private final Path root;
    private final Path wavCache;

    public AudioLoader(Path root, Path wavCache) {
        this.root = root;
        this.wavCache = wavCache;
    }

    public float[] load16k(String relPath) throws IOException {
        Path src = root.resolve(relPath);
        WavIO.Pcm pcm;
        if (wavCache != null) {
            Path cached = wavCache.resolve(relPath.replaceAll("\\.[^./]+$", ".wav"));
            if (Files.isRegularFile(cached)) return resample(WavIO.read(cached));
        }
        if (relPath.toLowerCase().endsWith(".wav")) {
            pcm = WavIO.read(src);
        } else {
            pcm = viaCore(src);
        }
        return resample(pcm);
    }

    private static float[] resample(WavIO.Pcm pcm) {
        if (pcm.sampleRate() == 16000) return pcm.samples();
        return Resample.linear(pcm.samples(), pcm.sampleRate(), 16000);
    }

    private static WavIO.Pcm viaCore(Path src) throws IOException {
        try {
            Class<?> c = Class.forName("io.parla.core.audio.AudioFiles");
            Method read = c.getMethod("read", Path.class);
            Object audio = read.invoke(null, src);
            float[] s = (float[]) audio.getClass().getMethod("samples").invoke(audio);
            int sr = (int) audio.getClass().getMethod("sampleRate").invoke(audio);
            return new WavIO.Pcm(s, sr);
        } catch (ClassNotFoundException e) {
            throw new IOException(src + ": cannot decode (no io.parla.core.audio.AudioFiles on the class path; "
                    + "decode the corpus to WAV with `flac -d` and pass the cache directory)");
        } catch (ReflectiveOperationException e) {
            Throwable t = e.getCause() != null ? e.getCause() : e;
            throw new IOException(src + ": " + t.getMessage(), t);
        }
    }

    /** Fallback resampler (windowed-sinc would be better; the corpus is already 16 kHz). */
    static final class Resample {
        static float[] linear(float[] x, int from, int to) {
            int n = (int) ((long) x.length * to / from);
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                double p = (double) i * from / to;
                int j = (int) p;
                double f = p - j;
                y[i] = (float) (x[Math.min(j, x.length - 1)] * (1 - f) + x[Math.min(j + 1, x.length - 1)] * f);
            }
            return y;
        }
    }
}
