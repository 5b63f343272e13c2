package io.parla.cli;

import io.parla.focalcodec.FocalCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "resynth", description = "Encode and decode a file offline (whole signal); output at the model's output rate.")
final class ResynthCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--float", description = "Write 32-bit float WAV (default: 16-bit PCM).")
    boolean asFloat;

    @Parameters(index = "0", paramLabel = "IN")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (FocalCodec m = model.load()) {
            float[] sig = AudioIO.readAt(input, m.sampleRateInput());
            long t0 = System.nanoTime();
            int[] toks = m.sigToToks(sig);
            long t1 = System.nanoTime();
            float[] out = FocalCodec.fitLength(m.toksToSig(toks), (int) ((long) sig.length * m.sampleRateOutput() / m.sampleRateInput()));
            long t2 = System.nanoTime();
            AudioIO.write(output, out, m.sampleRateOutput(), asFloat);
            double secs = sig.length / (double) m.sampleRateInput();
            System.err.printf("resynth: %.2f s of audio, %d tokens (%s bit/s); encode %.2f s, decode %.2f s, %.2fx real time%n",
                    secs, toks.length, InfoCommand.trim(m.config().bitrate()), (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    secs / ((t2 - t0) / 1e9));
        }
        return 0;
    }
}
