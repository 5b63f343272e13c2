package io.parla.core.audio;

import java.util.Arrays;

/**
 * Band-limited sample-rate conversion between any two integer rates.
 *
 * <h2>Algorithm</h2>
 * The rate ratio is reduced to {@code up/down} by the gcd (44100 to 16000 is 160/441). Output sample k lies at
 * input time {@code t = k * down / up}; its value is the sum of the input samples around t, each weighted by a
 * low-pass kernel h evaluated at its distance from t. Since {@code k * down mod up} takes only {@code up}
 * values, the kernel is needed at only {@code up} fractional offsets, and those {@code up} phases of
 * {@code 2 * halfTaps} weights each are precomputed once ({@link PolyphaseFilter}): each output costs one dot
 * product, whatever the ratio.
 *
 * <p>The kernel is an ideal low-pass (a sinc) with its cutoff at 0.95 of the lower rate's Nyquist frequency,
 * shaped by a Kaiser window designed for 95 dB of stopband attenuation over a transition band from 0.90 to 1.00 of
 * that Nyquist frequency. So the band up to 0.90 of it passes unchanged, and everything that would alias (when
 * reducing the rate) or form an image (when raising it) is suppressed. The filter length follows from the Kaiser
 * formula and grows with the ratio: about 120 taps for 16 to 24 kHz, 360 for 48 to 16 kHz. Each phase is
 * normalised to unit DC gain. Measured figures are in {@code docs/resampler.md}.
 *
 * <p>The kernel is symmetric and centred on t, so there is no group delay: output sample k is the input signal at
 * time k / toRate, and a sine keeps its phase. Input outside the signal counts as zero. The output has
 * {@code round(n * toRate / fromRate)} samples. {@link Stream} produces the same samples, bit for bit, from input
 * pushed in blocks of any size; equal rates copy the input.
 */
public final class Resampler {
    private Resampler() {}

    public static float[] resample(float[] x, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        if (fromRate == toRate) return x.clone();
        Stream stream = new Stream(fromRate, toRate);
        float[] out = new float[Math.toIntExact(outputLength(x.length, fromRate, toRate))];
        int n = stream.process(x, 0, x.length, out, 0);
        stream.finish(out, n);
        return out;
    }

    public static Audio resample(Audio audio, int toRate) {
        return new Audio(resample(audio.samples(), audio.sampleRate(), toRate), toRate);
    }

    /** The number of samples {@code inputLength} samples at {@code fromRate} become: round(n * to / from). */
    public static long outputLength(long inputLength, int fromRate, int toRate) {
        checkRates(fromRate, toRate);
        int gcd = PolyphaseFilter.gcd(fromRate, toRate);
        return roundedRatio(inputLength, toRate / gcd, fromRate / gcd);
    }

    /** round(n * up / down), halves rounding up. */
    static long roundedRatio(long n, long up, long down) {
        return Math.floorDiv(2 * n * up + down, 2 * down);
    }

    private static void checkRates(int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0)
            throw new IllegalArgumentException("sample rates must be positive: " + fromRate + " -> " + toRate);
    }

    /**
     * Incremental resampling: push blocks as they arrive, collect what each push returns, and call
     * {@link #flush()} once at the end for the tail. The concatenated output equals
     * {@link Resampler#resample(float[], int, int)} of the concatenated input exactly.
     *
     * <p>A push returns the outputs whose filter window is complete, so output lags input by about
     * {@code halfTaps} input samples (about 4 ms at 16 kHz for 16 to 24 kHz). Not thread-safe.
     */
    public static final class Stream {
        private final PolyphaseFilter filter;
        private final boolean passThrough;
        /** Input samples with absolute indices {@code [start, start + length)}; negative indices are zeros. */
        private float[] buffer;
        private long start;
        private int length;
        private long inputCount;
        private long outputCount;
        private boolean finished;

        public Stream(int fromRate, int toRate) {
            checkRates(fromRate, toRate);
            passThrough = fromRate == toRate;
            filter = passThrough ? null : PolyphaseFilter.of(fromRate, toRate);
            int history = passThrough ? 0 : filter.halfTaps - 1;
            buffer = new float[Math.max(1024, 4 * (history + 1))];
            start = -history;
            length = history;
        }

        public float[] push(float[] block) {
            return push(block, 0, block.length);
        }

        public float[] push(float[] block, int offset, int count) {
            if (finished) throw new IllegalStateException("push after flush");
            java.util.Objects.checkFromIndexSize(offset, count, block.length);
            if (passThrough) {
                inputCount += count;
                outputCount += count;
                return Arrays.copyOfRange(block, offset, offset + count);
            }
            append(block, offset, count);
            inputCount += count;
            float[] out = new float[(int) (available(inputCount - filter.halfTaps) - outputCount)];
            emit(out, 0, out.length);
            return out;
        }

        /** Ends the input and returns the remaining output, computed as if the input continued with zeros. */
        public float[] flush() {
            if (finished) throw new IllegalStateException("flush called twice");
            finished = true;
            if (passThrough) return new float[0];
            float[] out = new float[(int) (finalLength() - outputCount)];
            finish(out, 0);
            return out;
        }

        public long inputCount() {
            return inputCount;
        }

        public long outputCount() {
            return outputCount;
        }

        /** Appends a whole input and writes every output it completes to {@code out}; returns the count. */
        int process(float[] x, int offset, int count, float[] out, int outOffset) {
            append(x, offset, count);
            inputCount += count;
            int n = (int) (available(inputCount - filter.halfTaps) - outputCount);
            emit(out, outOffset, n);
            return n;
        }

        /** Writes the remaining outputs to {@code out} from {@code outOffset}, padding the input with zeros. */
        void finish(float[] out, int outOffset) {
            finished = true;
            long total = finalLength();
            // The last output's window reaches halfTaps samples past its instant.
            long needed = (total - 1) * filter.down / filter.up + filter.halfTaps + 1;
            if (needed > start + length) append(new float[(int) (needed - start - length)], 0,
                    (int) (needed - start - length));
            emit(out, outOffset, (int) (total - outputCount));
        }

        private long finalLength() {
            return roundedRatio(inputCount, filter.up, filter.down);
        }

        /**
         * The number of outputs computable when the input samples up to absolute index
         * {@code instantLimit + halfTaps - 1} exist: output k needs inputs up to floor(k * down / up) + halfTaps,
         * so exactly the k with k * down < instantLimit * up qualify.
         */
        private long available(long instantLimit) {
            if (instantLimit <= 0) return outputCount;
            long limit = (instantLimit * filter.up + filter.down - 1) / filter.down;
            return Math.max(limit, outputCount);
        }

        private void emit(float[] out, int outOffset, int n) {
            float[] h = filter.coefficients;
            int taps = filter.taps;
            int up = filter.up;
            for (int o = 0; o < n; o++) {
                long position = outputCount * filter.down;
                long instant = position / up;
                int phase = (int) (position - instant * up);
                int base = (int) (instant - filter.halfTaps + 1 - start);
                out[outOffset + o] = dot(buffer, base, h, phase * taps, taps);
                outputCount++;
            }
            discardConsumed();
        }

        /** Four partial sums let consecutive multiply-adds overlap instead of waiting on one accumulator. */
        private static float dot(float[] x, int xOff, float[] h, int hOff, int n) {
            float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
            int j = 0;
            for (; j + 4 <= n; j += 4) {
                s0 += x[xOff + j] * h[hOff + j];
                s1 += x[xOff + j + 1] * h[hOff + j + 1];
                s2 += x[xOff + j + 2] * h[hOff + j + 2];
                s3 += x[xOff + j + 3] * h[hOff + j + 3];
            }
            for (; j < n; j++) s0 += x[xOff + j] * h[hOff + j];
            return (s0 + s1) + (s2 + s3);
        }

        private void append(float[] x, int offset, int count) {
            if (length + count > buffer.length) {
                discardConsumed();
                if (length + count > buffer.length)
                    buffer = Arrays.copyOf(buffer, Math.max(length + count, 2 * buffer.length));
            }
            System.arraycopy(x, offset, buffer, length, count);
            length += count;
        }

        /** Drops the input samples no future output reaches back to. */
        private void discardConsumed() {
            long firstNeeded = outputCount * filter.down / filter.up - filter.halfTaps + 1;
            int drop = (int) Math.clamp(firstNeeded - start, 0, length);
            if (drop == 0) return;
            System.arraycopy(buffer, drop, buffer, 0, length - drop);
            length -= drop;
            start += drop;
        }
    }
}
