package io.parla.cli;

import io.parla.core.bitstream.ParlaWriter;
import io.parla.core.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "encode", description = "Encode an audio file into a .parla bitstream.")
final class EncodeCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Parameters(index = "0", paramLabel = "IN")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT.parla")
    Path output;

    @Override
    public Integer call() throws Exception {
        try (SpeechCodec m = model.open()) {
            float[] sig = AudioIO.readAt(input, m.sampleRateInput());
            long t0 = System.nanoTime();
            SpeechCodec.Encoded e = m.encode(sig);
            int[] toks = e.tokens();
            double secs = (System.nanoTime() - t0) / 1e9;
            try (ParlaWriter w = ParlaWriter.create(output, Codecs.header(m, toks.length, sig.length, e.sideInfo()))) {
                w.writeTokens(toks);
            }
            double dur = sig.length / (double) m.sampleRateInput();
            long bytes = Files.size(output);
            System.err.printf("encode: %.2f s of audio -> %d tokens, %,d bytes (%.1f bit/s total, payload %s bit/s), %.2fx real time%n",
                    dur, toks.length, bytes, bytes * 8 / dur, InfoCommand.trim(m.bitrate()), dur / secs);
        }
        return 0;
    }
}
