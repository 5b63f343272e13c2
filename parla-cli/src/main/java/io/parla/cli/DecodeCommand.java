package io.parla.cli;

import io.parla.core.bitstream.ParlaHeader;
import io.parla.core.bitstream.ParlaReader;
import io.parla.core.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "decode", description = "Decode a .parla bitstream to WAV at the model's output rate.")
final class DecodeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--float", description = "Write 32-bit float WAV (default: 16-bit PCM).")
    boolean asFloat;

    @Parameters(index = "0", paramLabel = "IN.parla")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.wav")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (SpeechCodec m = model.open(); ParlaReader r = ParlaReader.open(input)) {
            ParlaHeader h = r.header();
            h.requireModel(m.modelHash(), m.modelName(), input.toString());
            int[] toks = r.readAll();
            long t0 = System.nanoTime();
            float[] out = m.decode(new SpeechCodec.Encoded(toks, h.paralinguisticEmbedding().orElse(null)),
                    h.sampleCount() == ParlaHeader.UNKNOWN ? -1 : h.sampleCount());
            double secs = (System.nanoTime() - t0) / 1e9;
            AudioIO.write(output, out, m.sampleRateOutput(), asFloat);
            double dur = out.length / (double) m.sampleRateOutput();
            System.err.printf("decode: %d tokens -> %.2f s at %d Hz, %.2fx real time%n", toks.length, dur, m.sampleRateOutput(), dur / secs);
        }
        return 0;
    }
}
