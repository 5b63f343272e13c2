package io.parla.core.audio;

/**
 * Converts interleaved WAV frames to mono floats. Channels are averaged; integers are scaled by
 * 1/2<sup>bits-1</sup> so that full negative scale maps to exactly -1 and the writer's rounding inverts exactly.
 * One loop per encoding keeps the per-sample work free of dispatch.
 */
final class WavSampleDecoder {
    private WavSampleDecoder() {}

    /**
     * Decodes {@code frames} frames from {@code src} into {@code dst} at {@code dstOff}.
     *
     * @return -1, or the index (within this block) of the first frame whose value is not a finite float
     */
    static int decode(WavFormat format, byte[] src, int frames, float[] dst, int dstOff) {
        int ch = format.channels();
        double intScale = 1.0 / (ch * Math.scalb(1.0, format.encoding().bitsPerSample() - 1));
        int p = 0;
        switch (format.encoding()) {
            case PCM_8 -> {
                for (int i = 0; i < frames; i++) {
                    long sum = 0;
                    for (int c = 0; c < ch; c++) sum += (src[p++] & 0xFF) - 128;
                    dst[dstOff + i] = (float) (sum * intScale);
                }
            }
            case PCM_16 -> {
                for (int i = 0; i < frames; i++) {
                    long sum = 0;
                    for (int c = 0; c < ch; c++, p += 2) sum += (short) LittleEndian.SHORT.get(src, p);
                    dst[dstOff + i] = (float) (sum * intScale);
                }
            }
            case PCM_24 -> {
                for (int i = 0; i < frames; i++) {
                    long sum = 0;
                    for (int c = 0; c < ch; c++, p += 3)
                        sum += (src[p] & 0xFF) | (src[p + 1] & 0xFF) << 8 | src[p + 2] << 16;
                    dst[dstOff + i] = (float) (sum * intScale);
                }
            }
            case PCM_32 -> {
                for (int i = 0; i < frames; i++) {
                    long sum = 0;
                    for (int c = 0; c < ch; c++, p += 4) sum += (int) LittleEndian.INT.get(src, p);
                    dst[dstOff + i] = (float) (sum * intScale);
                }
            }
            case FLOAT_32 -> {
                for (int i = 0; i < frames; i++) {
                    double sum = 0;
                    for (int c = 0; c < ch; c++, p += 4) sum += (float) LittleEndian.FLOAT.get(src, p);
                    float v = (float) (sum / ch);
                    dst[dstOff + i] = v;
                    if (!Float.isFinite(v)) return i;
                }
            }
            case FLOAT_64 -> {
                for (int i = 0; i < frames; i++) {
                    double sum = 0;
                    for (int c = 0; c < ch; c++, p += 8) sum += (double) LittleEndian.DOUBLE.get(src, p);
                    float v = (float) (sum / ch);
                    dst[dstOff + i] = v;
                    if (!Float.isFinite(v)) return i;
                }
            }
        }
        return -1;
    }
}
