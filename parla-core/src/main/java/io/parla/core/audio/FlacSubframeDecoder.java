package io.parla.core.audio;

/**
 * Decodes one FLAC subframe (one channel of one frame) into integer samples: CONSTANT, VERBATIM, FIXED and LPC
 * prediction over Rice-coded residuals, plus wasted-bits restoration.
 *
 * <p>Samples are longs because a side channel of 32-bit audio needs 33 bits; on 64-bit hardware this costs
 * nothing in the arithmetic, and the prediction sums of 32-bit audio with 15-bit coefficients need 64 bits anyway.
 */
final class FlacSubframeDecoder {
    private static final int MAX_LPC_ORDER = 32;

    private final long[] coefficients = new long[MAX_LPC_ORDER];

    /** Decodes a subframe of {@code blockSize} samples, each {@code bits} wide before wasted bits, into {@code out}. */
    void decode(FlacBitReader in, long[] out, int blockSize, int bits) {
        if (in.readBits(1) != 0) throw in.corrupt("subframe padding bit set");
        int type = in.readBits(6);
        int wasted = in.readBits(1) == 0 ? 0 : in.readUnary() + 1;
        if (wasted >= bits) throw in.corrupt(wasted + " wasted bits in a " + bits + "-bit subframe");
        int sampleBits = bits - wasted;
        if (type == 0) {
            java.util.Arrays.fill(out, 0, blockSize, in.readSigned(sampleBits));
        } else if (type == 1) {
            for (int i = 0; i < blockSize; i++) out[i] = in.readSigned(sampleBits);
        } else if (type >= 8 && type <= 12) {
            int order = type - 8;
            readWarmUp(in, out, order, blockSize, sampleBits);
            FlacResidual.read(in, out, order, blockSize);
            FlacPrediction.restoreFixed(out, order, blockSize);
        } else if (type >= 32) {
            int order = type - 31;
            readWarmUp(in, out, order, blockSize, sampleBits);
            int precision = in.readBits(4) + 1;
            if (precision == 16) throw in.corrupt("invalid LPC coefficient precision");
            int shift = (int) in.readSigned(5);
            if (shift < 0) throw in.corrupt("negative LPC shift " + shift);
            for (int i = 0; i < order; i++) coefficients[i] = in.readSigned(precision);
            FlacResidual.read(in, out, order, blockSize);
            FlacPrediction.restoreLpc(out, coefficients, order, shift, blockSize);
        } else {
            throw in.corrupt("reserved subframe type " + type);
        }
        if (wasted > 0) for (int i = 0; i < blockSize; i++) out[i] <<= wasted;
    }

    private static void readWarmUp(FlacBitReader in, long[] out, int order, int blockSize, int bits) {
        if (order > blockSize) throw in.corrupt("predictor order " + order + " exceeds block size " + blockSize);
        for (int i = 0; i < order; i++) out[i] = in.readSigned(bits);
    }
}
