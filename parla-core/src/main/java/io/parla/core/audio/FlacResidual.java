package io.parla.core.audio;

/** The residual section of a FIXED or LPC subframe: partitioned Rice codes with 4- or 5-bit parameters. */
final class FlacResidual {
    private FlacResidual() {}

    /** Reads the residuals of samples {@code order..blockSize-1} into {@code out}. */
    static void read(FlacBitReader in, long[] out, int order, int blockSize) {
        int method = in.readBits(2);
        if (method > 1) throw in.corrupt("reserved residual coding method " + method);
        int parameterBits = method == 0 ? 4 : 5;
        int escape = (1 << parameterBits) - 1;
        int partitionOrder = in.readBits(4);
        int partitionSize = blockSize >> partitionOrder;
        if (partitionSize << partitionOrder != blockSize || partitionSize < order)
            throw in.corrupt("partition order " + partitionOrder + " does not fit block size " + blockSize
                    + " and predictor order " + order);
        int start = order;
        for (int p = 0, end = partitionSize; p < 1 << partitionOrder; p++, end += partitionSize) {
            int parameter = in.readBits(parameterBits);
            if (parameter != escape) {
                in.readRice(out, start, end, parameter);
            } else {
                // Escaped partition: plain signed integers of a stated width, zero width meaning all zeros.
                int width = in.readBits(5);
                for (int i = start; i < end; i++) out[i] = width == 0 ? 0 : in.readSigned(width);
            }
            start = end;
        }
    }
}
