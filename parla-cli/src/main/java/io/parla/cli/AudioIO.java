package io.parla.cli;

import io.parla.core.audio.Audio;
import io.parla.core.audio.AudioFiles;
import io.parla.core.audio.Resampler;
import io.parla.core.audio.WavWriter;

import java.io.IOException;
import java.nio.file.Path;

/** Reading any supported audio file at a model's input rate, and writing its output. */
final class AudioIO {
    private AudioIO() {}

    /** Mono samples at {@code rate}, resampled (band-limited) when the file has another rate. */
    static float[] readAt(Path file, int rate) {
        Audio a = AudioFiles.read(file);
        return a.sampleRate() == rate ? a.samples() : Resampler.resample(a.samples(), a.sampleRate(), rate);
    }

    static void write(Path file, float[] samples, int rate, boolean asFloat) throws IOException {
        Audio a = new Audio(samples, rate);
        if (asFloat) WavWriter.writeFloat32(file, a);
        else WavWriter.writePcm16(file, a);
    }
}
