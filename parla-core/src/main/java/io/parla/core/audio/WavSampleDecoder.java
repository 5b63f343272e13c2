package io.parla.core.audio;

/**
 * Converts blocks of interleaved WAV frames to mono floats. Channels are averaged; integers are scaled by
 * 1/2<sup>bits-1</sup> so that full negative scale maps to exactly -1 and the writer's rounding inverts exactly.
 *
 * <p>Each block is first unpacked into plain numbers by a loop specialised for its encoding, then mixed by one
 * loop shared by all integer encodings and one for the float encodings: no per-sample dispatch, and the mixing
 * (which FLAC decoding repeats in the same order, so the two agree bit for bit) is written once.
 */
final class WavSampleDecoder {
    private final WavFormat format;
    private final int channels;
    private final double intScale;
    private final int[] ints;
    private final double[] reals;

    WavSampleDecoder(WavFormat format, int maxFrames) {
        this.format = format;
        this.channels = format.channels();
        this.intScale = 1.0 / (channels * Math.scalb(1.0, format.encoding().bitsPerSample() - 1));
        boolean isFloat = format.encoding().isFloatingPoint();
        ints = isFloat ? null : new int[maxFrames * channels];
        reals = isFloat ? new double[maxFrames * channels] : null;
    }

    /**
     * Decodes {@code frames} frames from {@code src} into {@code dst} at {@code dstOff}.
     *
     * @return -1, or the index (within this block) of the first frame whose value is not a finite float
     */
    int decode(byte[] src, int frames, float[] dst, int dstOff) {
        int n = frames * channels;
        switch (format.encoding()) {
            case PCM_8 -> {
                for (int i = 0; i < n; i++) ints[i] = (src[i] & 0xFF) - 128;
            }
            case PCM_16 -> {
                for (int i = 0; i < n; i++) ints[i] = (short) LittleEndian.SHORT.get(src, 2 * i);
            }
            case PCM_24 -> {
                for (int i = 0, p = 0; i < n; i++, p += 3)
                    ints[i] = (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | src[p + 2] << 16;
            }
            case PCM_32 -> {
                for (int i = 0; i < n; i++) ints[i] = (int) LittleEndian.INT.get(src, 4 * i);
            }
            case FLOAT_32 -> {
                for (int i = 0; i < n; i++) reals[i] = (float) LittleEndian.FLOAT.get(src, 4 * i);
                return mixReals(frames, dst, dstOff);
            }
            case FLOAT_64 -> {
                for (int i = 0; i < n; i++) reals[i] = (double) LittleEndian.DOUBLE.get(src, 8 * i);
                return mixReals(frames, dst, dstOff);
            }
        }
        mixInts(frames, dst, dstOff);
        return -1;
    }

    private void mixInts(int frames, float[] dst, int dstOff) {
        for (int i = 0, p = 0; i < frames; i++) {
            long sum = 0;
            for (int c = 0; c < channels; c++) sum += ints[p++];
            dst[dstOff + i] = (float) (sum * intScale);
        }
    }

    private int mixReals(int frames, float[] dst, int dstOff) {
        for (int i = 0, p = 0; i < frames; i++) {
            double sum = 0;
            for (int c = 0; c < channels; c++) sum += reals[p++];
            float v = (float) (sum / channels);
            dst[dstOff + i] = v;
            if (!Float.isFinite(v)) return i;
        }
        return -1;
    }
}
