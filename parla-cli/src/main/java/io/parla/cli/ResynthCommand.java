package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
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
        try (SpeechCodec m = model.open()) {
            float[] sig = AudioIO.readAt(input, m.sampleRateInput());
            long t0 = System.nanoTime();
            float[] out;
            int tokens;
            if (m instanceof FocalCodecAdapter f) {
                int[] toks = f.model.sigToToks(sig);
                tokens = toks.length;
                out = io.parla.focalcodec.FocalCodec.fitLength(f.model.toksToSig(toks),
                        (int) ((long) sig.length * m.sampleRateOutput() / m.sampleRateInput()));
            } else {
                SpeechCodec.Encoded e = m.encode(sig);
                tokens = e.tokens().length;
                out = m.decode(e, sig.length);
            }
            long t1 = System.nanoTime();
            AudioIO.write(output, out, m.sampleRateOutput(), asFloat);
            double secs = sig.length / (double) m.sampleRateInput();
            System.err.printf("resynth: %.2f s of audio, %d tokens (%s bit/s), %.2f s compute, %.2fx real time%n",
                    secs, tokens, InfoCommand.trim(m.bitrate()), (t1 - t0) / 1e9, secs / ((t1 - t0) / 1e9));
        }
        return 0;
    }
}
