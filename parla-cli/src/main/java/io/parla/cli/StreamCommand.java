package io.parla.cli;

import io.parla.core.util.ArrayConcat;
import io.parla.focalcodec.FocalCodec;
import io.parla.secousticodec.Excitation;
import io.parla.secousticodec.SecoustiCodec;
import io.parla.secousticodec.SecoustiConfig;
import io.parla.focalcodec.StreamingDecoder;
import io.parla.focalcodec.StreamingEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;

@Command(name = "stream", description = "Run the live encoder and decoder sessions over a file in real-time-sized pushes; report latency.")
final class StreamCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--float", description = "Write 32-bit float WAV (default: 16-bit PCM).")
    boolean asFloat;

    @Option(names = "--push-ms", defaultValue = "20", description = "Audio per push in ms (default ${DEFAULT-VALUE}).")
    double pushMs;

    @Option(names = "--seed", paramLabel = "N",
            description = "Seed of the vocoder's random excitation (SecoustiCodec; default 0, as decode/resynth).")
    Long seed;

    @Option(names = "--prompt", paramLabel = "WAV",
            description = "SecoustiCodec: take the paralinguistic embedding from this file (default: from IN itself).")
    Path prompt;

    @Parameters(index = "0", paramLabel = "IN")
    Path input;

    @Parameters(index = "1", paramLabel = "OUT")
    Path output;

    @Override
    public Integer call() throws Exception {
        if (CodecFamilies.family(model.resolve()).equals(SecoustiConfig.MODEL_FAMILY)) return secousti();
        try (FocalCodec m = model.load()) {
            if (!m.causal()) throw new IllegalArgumentException(m.directory() + ": this model is not causal and cannot stream; use resynth");
            float[] sig = AudioIO.readAt(input, m.sampleRateInput());
            int push = Math.max(1, (int) Math.round(pushMs * m.sampleRateInput() / 1000));
            StreamingEncoder enc = new StreamingEncoder(m);
            StreamingDecoder dec = new StreamingDecoder(m);
            float[] out = new float[(int) ((long) (sig.length + m.chunkSamples()) * m.sampleRateOutput() / m.sampleRateInput())];
            int outLen = 0;
            double[] chunkMs = new double[sig.length / m.chunkSamples() + 2];
            int chunks = 0;
            long total = 0;
            for (int off = 0; off <= sig.length; off += push) {
                boolean last = off + push > sig.length;
                long t0 = System.nanoTime();
                int[] toks = last ? ArrayConcat.concat(enc.push(sig, off, sig.length - off), enc.flush())
                        : enc.push(sig, off, push);
                float[] pcm = dec.push(toks);
                if (last) pcm = ArrayConcat.concat(pcm, dec.flush());
                long dt = System.nanoTime() - t0;
                total += dt;
                if (toks.length > 0) chunkMs[chunks++] = dt / 1e6;
                System.arraycopy(pcm, 0, out, outLen, Math.min(pcm.length, out.length - outLen));
                outLen += pcm.length;
                if (last) break;
            }
            int want = (int) ((long) sig.length * m.sampleRateOutput() / m.sampleRateInput());
            AudioIO.write(output, FocalCodec.fitLength(Arrays.copyOf(out, Math.min(outLen, out.length)), want), m.sampleRateOutput(), asFloat);
            double[] c = Arrays.copyOf(chunkMs, chunks);
            Arrays.sort(c);
            double dur = sig.length / (double) m.sampleRateInput();
            double chunkAudioMs = 1000.0 * m.chunkSamples() / m.sampleRateInput();
            System.out.printf("stream: %.2f s of audio in %d-sample pushes, %d chunks of %.0f ms%n", dur, push, chunks, chunkAudioMs);
            System.out.printf("algorithmic latency  %.0f ms (chunk incl. %d frames lookahead)%n", m.config().latencyMs(), m.config().encoder().lookaheadSize());
            System.out.printf("chunk compute (encode+decode)  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                    pct(c, 50), pct(c, 95), pct(c, 99), c.length == 0 ? 0 : c[c.length - 1]);
            System.out.printf("speed  %.2fx real time (%.1f ms compute per %.0f ms of audio)%n", dur / (total / 1e9),
                    total / 1e6 / Math.max(1, chunks), chunkAudioMs);
        }
        return 0;
    }

    /**
     * SecoustiCodec: streaming encoder and decoder in pushes of {@code --push-ms}. The paralinguistic embedding is
     * side information sent once before the tokens, so it is computed up front (from {@code --prompt} or the whole
     * input, as {@code encode} does) and rounded to F16 as the bitstream stores it: the output then equals
     * {@code decode} of the streamed tokens.
     */
    private int secousti() throws Exception {
        try (var a = (SecoustiCodecAdapter) CodecFamilies.open(model.resolve(), model.weightType())) {
            SecoustiCodec m = a.model;
            if (!m.hasVocoder()) throw new IllegalArgumentException(m.directory() + ": no vocoder weights; cannot stream audio");
            int sr = m.sampleRate();
            float[] sig = AudioIO.readAt(input, sr);
            float[] p = SecoustiCodecAdapter.asStored(m.sigToParalinguistic(prompt == null ? sig : AudioIO.readAt(prompt, sr), sr));
            int push = Math.max(1, (int) Math.round(pushMs * sr / 1000));
            var enc = m.streamingEncoder();
            var dec = m.streamingDecoder(p, Excitation.seeded(seed == null ? SecoustiCodecAdapter.DEFAULT_SEED : seed));
            float[] out = new float[0];
            double[] pushMsTaken = new double[sig.length / push + 2];
            int pushes = 0;
            long total = 0;
            for (int off = 0; ; off += push) {
                boolean last = off + push >= sig.length;
                float[] chunk = Arrays.copyOfRange(sig, off, Math.min(sig.length, off + push));
                long t0 = System.nanoTime();
                int[] toks = last ? ArrayConcat.concat(enc.push(chunk), enc.flush()) : enc.push(chunk);
                float[] pcm = dec.push(toks);
                if (last) pcm = ArrayConcat.concat(pcm, dec.flush());
                long dt = System.nanoTime() - t0;
                total += dt;
                pushMsTaken[pushes++] = dt / 1e6;
                out = ArrayConcat.concat(out, pcm);
                if (last) break;
            }
            AudioIO.write(output, Arrays.copyOf(out, sig.length), sr, asFloat);
            double[] c = Arrays.copyOf(pushMsTaken, pushes);
            Arrays.sort(c);
            double dur = sig.length / (double) sr;
            System.out.printf("stream: %.2f s of audio in %d-sample pushes, %d tokens (%s Hz), embedding %s%n", dur, push,
                    dec.tokensIn(), InfoCommand.trim(a.tokenRate()), prompt == null ? "from the input (sent once, up front)" : "from " + prompt);
            System.out.printf("algorithmic latency  %.1f ms worst case (mel window + token + vocoder lookahead %d frames = %d tokens)%n",
                    1000.0 * m.streamingLatencySamples() / sr, dec.lookaheadFrames(), dec.lookaheadTokens());
            System.out.printf("push compute (encode+decode)  p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  max %.1f ms%n",
                    pct(c, 50), pct(c, 95), pct(c, 99), c[c.length - 1]);
            System.out.printf("speed  %.2fx real time%n", dur / (total / 1e9));
        }
        return 0;
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }


}
