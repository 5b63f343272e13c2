package io.parla.cli;

import io.parla.focalcodec.FocalCodec;
import io.parla.focalcodec.StreamingDecoder;
import io.parla.focalcodec.StreamingEncoder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;
import javax.sound.sampled.TargetDataLine;
import java.util.concurrent.Callable;

@Command(name = "live", description = "Microphone in, codec, speaker out, with a live latency/bitrate line.")
final class LiveCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--seconds", defaultValue = "0", description = "Stop after this many seconds (0 = until Ctrl-C).")
    double seconds;

    @Override
    public Integer call() throws Exception {
        AudioFormat in = new AudioFormat(16000f, 16, 1, true, false);
        DataLine.Info micInfo = new DataLine.Info(TargetDataLine.class, in);
        if (!AudioSystem.isLineSupported(micInfo)) {
            System.err.println("parla: live: no audio input device (microphone) is available on this machine");
            return 2;
        }
        try (FocalCodec m = model.load()) {
            if (!m.causal()) throw new IllegalArgumentException(m.directory() + ": this model is not causal and cannot stream");
            AudioFormat outFmt = new AudioFormat(m.sampleRateOutput(), 16, 1, true, false);
            DataLine.Info spkInfo = new DataLine.Info(SourceDataLine.class, outFmt);
            if (!AudioSystem.isLineSupported(spkInfo)) {
                System.err.println("parla: live: no audio output device (speaker) supports " + m.sampleRateOutput() + " Hz mono");
                return 2;
            }
            TargetDataLine mic;
            SourceDataLine spk;
            try {
                mic = (TargetDataLine) AudioSystem.getLine(micInfo);
                spk = (SourceDataLine) AudioSystem.getLine(spkInfo);
                mic.open(in, 2 * 320 * 4);
                spk.open(outFmt);
            } catch (LineUnavailableException | IllegalArgumentException e) {
                System.err.println("parla: live: audio device unavailable: " + e.getMessage());
                return 2;
            }
            StreamingEncoder enc = new StreamingEncoder(m);
            StreamingDecoder dec = new StreamingDecoder(m);
            mic.start();
            spk.start();
            byte[] buf = new byte[2 * 320];
            float[] pcm = new float[320];
            long start = System.nanoTime(), tokens = 0;
            double worst = 0;
            while (seconds <= 0 || (System.nanoTime() - start) / 1e9 < seconds) {
                int n = mic.read(buf, 0, buf.length);
                for (int i = 0; i < n / 2; i++) pcm[i] = (short) ((buf[2 * i] & 0xff) | (buf[2 * i + 1] << 8)) / 32768f;
                long t0 = System.nanoTime();
                int[] toks = enc.push(pcm, 0, n / 2);
                float[] out = dec.push(toks);
                double ms = (System.nanoTime() - t0) / 1e6;
                tokens += toks.length;
                if (toks.length > 0) worst = Math.max(worst, ms);
                byte[] ob = new byte[out.length * 2];
                for (int i = 0; i < out.length; i++) {
                    int s = Math.round(Math.max(-1f, Math.min(1f, out[i])) * 32767f);
                    ob[2 * i] = (byte) s;
                    ob[2 * i + 1] = (byte) (s >> 8);
                }
                spk.write(ob, 0, ob.length);
                if (toks.length > 0) {
                    double el = (System.nanoTime() - start) / 1e9;
                    System.err.printf("\r%6.1f s  latency %.0f ms algorithmic + %.1f ms compute (worst %.1f)  %s bit/s  tokens %d   ",
                            el, m.config().latencyMs(), ms, worst, InfoCommand.trim(m.config().bitrate()), tokens);
                }
            }
            System.err.println();
            mic.close();
            spk.drain();
            spk.close();
        }
        return 0;
    }
}
