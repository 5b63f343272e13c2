package io.parla.focalcodec;

import io.parla.focalcodec.FocalCodecConfig.DecoderConfig;
import io.parla.focalcodec.FocalCodecConfig.FocalConfig;
import io.parla.focalcodec.FocalCodecConfig.WavLMConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts, from a configuration alone, the floating-point operations that encoding and decoding a signal
 * take: 2 x the multiply-adds of every Linear, Conv1d (full, grouped, depthwise), ConvTranspose1d, the
 * WavLM gate projection and the attention matmuls ({@code QK^T} and {@code PV}). Norms, activations,
 * softmax, the quantiser and the iSTFT's FFT are left out (together well under 1% of the total).
 *
 * <p>Frame counts follow Parla's code paths exactly: offline calls see the whole signal (non-causal
 * attention over all frames, causal attention masked to chunks within the window); streaming sessions
 * see one chunk of {@link FocalCodecConfig#chunkSamples()} samples per encoder call (the partial last
 * chunk zero-padded, as {@link StreamingEncoder#flush()} does) and one refiner group per decoder call.
 * Unlike the reference implementation, no all-zero extra refiner group is computed.
 *
 * <p>Sanity figures per second of audio (10 s signals): focalcodec_50hz about 19.3 GFLOP offline,
 * focalcodec_50hz_2k_causal about 27.2 GFLOP offline and streaming.
 */
public final class FlopCounter {
    private FlopCounter() {}

    /** FLOPs per module, encoder side ({@code encoder}, {@code compressor}) and decoder side. */
    public record Count(Map<String, Long> encode, Map<String, Long> decode, long samples) {
        public long encodeTotal() {
            return encode.values().stream().mapToLong(Long::longValue).sum();
        }

        public long decodeTotal() {
            return decode.values().stream().mapToLong(Long::longValue).sum();
        }

        public long total() {
            return encodeTotal() + decodeTotal();
        }

        /** GFLOP per second of 16 kHz input audio. */
        public double gflopPerAudioSecond() {
            return total() / 1e9 / (samples / (double) FocalCodecConfig.SAMPLE_RATE_INPUT);
        }
    }

    /** An offline {@code sigToToks} + {@code toksToSig} of {@code samples} samples. */
    public static Count offline(FocalCodecConfig c, int samples) {
        if (samples <= 0) throw new IllegalArgumentException("samples must be positive");
        Acc enc = new Acc(), dec = new Acc();
        int frames = encoder(c.encoder(), samples, -1, enc);
        int tokens = compressor(c.compressor(), frames, enc);
        decoderSide(c, tokens, dec);
        return new Count(enc.map, dec.map, samples);
    }

    /**
     * A live session over {@code samples} samples: {@link StreamingEncoder} in chunks (last one zero-padded)
     * and {@link StreamingDecoder} in refiner groups (last one partial). Non-causal models cannot stream.
     */
    public static Count streaming(FocalCodecConfig c, int samples) {
        if (samples <= 0) throw new IllegalArgumentException("samples must be positive");
        if (!c.causal()) throw new IllegalArgumentException("a non-causal model cannot stream");
        Acc enc = new Acc(), dec = new Acc();
        int chunk = c.chunkSamples();
        int chunks = (samples + chunk - 1) / chunk;
        long cached = 0;
        int tokens = 0;
        int cacheCap = c.encoder().windowSize() - c.encoder().chunkFrames();
        for (int k = 0; k < chunks; k++) {
            int past = (int) Math.min(cached, cacheCap);
            int frames = encoder(c.encoder(), chunk, past, enc);
            cached += frames;
            tokens += compressor(c.compressor(), frames, enc);
        }
        int group = c.hasRefiner() ? 1 + c.decompressor().lookaheadSize() : 1;
        for (int t = 0; t < tokens; t += group) decoderSide(c, Math.min(group, tokens - t), dec);
        return new Count(enc.map, dec.map, samples);
    }

    // ------------------------------------------------------------------ modules

    /**
     * WavLM on {@code samples} samples. {@code past} is the number of cached key frames of a streaming call,
     * or -1 for an offline call. Returns the number of output frames.
     */
    static int encoder(WavLMConfig w, int samples, int past, Acc acc) {
        int t = samples, in = 1;
        for (int i = 0; i < w.hiddenDims().length; i++) {
            int k = w.kernelSizes()[i], s = w.strides()[i], out = w.hiddenDims()[i];
            if (w.causal()) t = (t + s - 1) / s;
            else t = (Math.max(t, k) - k) / s + 1;
            acc.add("encoder.feature_extractor", (long) t * out * in * k);
            in = out;
        }
        int d = w.dim();
        acc.add("encoder.feature_proj", (long) t * in * d);
        int posFrames = w.causal() ? t : t + 2 * (w.convPos() / 2) - w.convPos() + 1; // even kernel: one extra, dropped
        acc.add("encoder.positional_conv", (long) posFrames * d * (d / w.convPosGroups()) * w.convPos());
        long attended = attendedKeys(w, t, past);
        for (int l = 0; l < w.numLayers(); l++) {
            acc.add("encoder.attention.proj", (long) t * d * 4L * d + (long) t * d * 8L);
            acc.add("encoder.attention.matmuls", 2L * attended * d);
            acc.add("encoder.feed_forward", 2L * t * d * w.ffnDim());
        }
        return t;
    }

    /** Sum over queries of the keys each one attends to (GatedRelPosAttention's masking). */
    static long attendedKeys(WavLMConfig w, int frames, int past) {
        if (!w.causal()) return (long) frames * frames;
        int chunk = w.chunkFrames();
        if (past >= 0 || frames <= chunk) return (long) frames * (Math.max(0, past) + frames);
        long sum = 0;
        for (int t = 0; t < frames; t++) {
            int hi = Math.min(frames, (t / chunk + 1) * chunk);
            sum += hi - Math.max(0, hi - w.windowSize());
        }
        return sum;
    }

    /** Compressor on {@code frames} frames; returns the number of tokens. */
    static int compressor(FocalConfig f, int frames, Acc acc) {
        int t = frames, in = f.inputDim();
        for (int i = 0; i < f.hiddenDims().length; i++) {
            int h = f.hiddenDims()[i], factor = f.factors()[i];
            if (f.causal()) t = (t + factor - 1) / factor;
            else t = (t + Math.floorMod(t - factor, factor) - factor) / factor + 1;
            acc.add("compressor.downscale", (long) t * h * in * factor);
            focalBlock(f, h, t, f.windowSize(), "compressor", acc);
            in = h;
        }
        acc.add("compressor.out_proj", (long) t * in * f.outputDim());
        return t;
    }

    /** Decompressor (+ refiner) and waveform decoder on {@code tokens} tokens. */
    static void decoderSide(FocalCodecConfig c, int tokens, Acc acc) {
        FocalConfig f = c.decompressor();
        int n = f.hiddenDims().length;
        int t = tokens;
        acc.add("decompressor.in_proj", (long) t * f.inputDim() * f.hiddenDims()[0]);
        for (int i = 0; i < n; i++) {
            int d = f.hiddenDims()[i], next = i == n - 1 ? f.outputDim() : f.hiddenDims()[i + 1];
            focalBlock(f, d, t, i == n - 1 ? f.lastWindowSize() : f.windowSize(), "decompressor", acc);
            int u = f.factors()[i];
            int inFrames = f.causal() && u > 1 ? t + u - 1 : t; // causal: u - 1 context frames recomputed
            acc.add("decompressor.upscale", (long) inFrames * d * u * next);
            t *= u;
        }
        if (c.hasRefiner()) {
            long width = (long) (1 + f.lookaheadSize()) * f.outputDim();
            long groups = (t + f.lookaheadSize()) / (1 + f.lookaheadSize());
            acc.add("decompressor.refiner", 2L * groups * width * width);
        }
        DecoderConfig v = c.decoder();
        acc.add("decoder.embedding", (long) t * v.inputDim() * v.dim() * v.kernelSize());
        for (int l = 0; l < v.numLayers(); l++) {
            acc.add("decoder.convnext", (long) t * v.dim() * v.kernelSize() + 2L * t * v.dim() * v.ffnDim());
        }
        acc.add("decoder.head", (long) t * v.dim() * (v.isVocos() ? v.nFft() + 2 : v.hopLength()));
    }

    /** Focal modulation + feed-forward of width 4d on {@code t} frames. */
    private static void focalBlock(FocalConfig f, int d, int t, int window, String side, Acc acc) {
        long convTaps = 0;
        for (int l = 0; l < f.focalLevel(); l++) convTaps += f.focalFactor() * l + f.focalWindow();
        if (f.causal()) convTaps += window;
        acc.add(side + ".focal_modulation", (long) t * d * (2L * d + f.focalLevel() + 1) + 2L * t * d * d + t * d * convTaps);
        acc.add(side + ".feed_forward", 2L * t * d * 4L * d);
    }

    /** Multiply-add accumulator per module; stores FLOPs (2 per multiply-add). */
    static final class Acc {
        final Map<String, Long> map = new LinkedHashMap<>();

        void add(String module, long macs) {
            map.merge(module, 2 * macs, Long::sum);
        }
    }
}
