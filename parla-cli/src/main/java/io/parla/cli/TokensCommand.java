package io.parla.cli;

import io.parla.core.codec.SpeechCodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "tokens", description = "Print the offline tokens of an audio file as one JSON array.")
final class TokensCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Parameters(index = "0", paramLabel = "IN", description = "WAV or FLAC file (any rate, any channel count)")
    Path input;

    @Override
    public Integer call() {
        try (SpeechCodec m = model.open()) {
            int[] toks = offlineTokens(m, AudioIO.readAt(input, m.sampleRateInput()));
            StringBuilder b = new StringBuilder(toks.length * 6).append('[');
            for (int i = 0; i < toks.length; i++) b.append(i == 0 ? "" : ",").append(toks[i]);
            System.out.println(b.append(']'));
        }
        return 0;
    }

    /** The reference's offline tokens (for causal FocalCodec the unpadded whole-signal call, not the live sessions). */
    static int[] offlineTokens(SpeechCodec m, float[] sig) {
        if (m instanceof FocalCodecAdapter f) return f.model.sigToToks(sig);
        return m.encode(sig).tokens();
    }
}
