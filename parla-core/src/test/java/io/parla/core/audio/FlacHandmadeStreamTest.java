package io.parla.core.audio;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Streams written bit by bit: escape-coded residuals, and hostile values behind valid checksums. */
class FlacHandmadeStreamTest {
    private static final int FIXED = 8;
    private static final int LPC = 32;

    @Test
    void escapeCodedPartitionHoldsPlainSignedResiduals() {
        long[] residuals = {0, 5, -7, 63, -64, 1, 9, -3, 2, 0, -1, 4, 7, -8, 3};
        byte[] flac = FlacBits.stream(16000, 1, 16, 16).frame(0, 16, 0, 0, f -> {
            f.bits(0, 1).bits(FIXED + 1, 6).bits(0, 1); // FIXED order 1, no wasted bits
            f.bits(-1000 & 0xFFFF, 16); // warm-up sample
            f.bits(0, 2).bits(1, 4); // Rice, two partitions of 8 samples (the first holds 7 residuals)
            f.bits(15, 4).bits(7, 5); // escape: 7-bit signed values
            for (int i = 0; i < 7; i++) f.bits(residuals[i] & 0x7F, 7);
            f.bits(3, 4);
            for (int i = 7; i < 15; i++) f.rice(residuals[i], 3);
        }).bytes();
        float[] expected = new float[16];
        long sample = -1000;
        expected[0] = sample / 32768f;
        for (int i = 1; i < 16; i++) expected[i] = (sample += residuals[i - 1]) / 32768f;
        assertThat(FlacReader.read(flac, "esc.flac").samples()).containsExactly(expected);
    }

    @Test
    void zeroWidthEscapeMeansZeroResiduals() {
        byte[] flac = FlacBits.stream(8000, 1, 8, 6).frame(0, 6, 0, 0, f -> {
            f.bits(0, 1).bits(LPC, 6).bits(0, 1); // LPC order 1
            f.bits(64, 8); // warm-up
            f.bits(3, 4).bits(1, 5).bits(1, 4); // precision 4, shift 1, coefficient 1: halves each sample
            f.bits(1, 2).bits(0, 4).bits(31, 5).bits(0, 5); // Rice2, one partition, escape with width 0
        }).bytes();
        assertThat(FlacReader.read(flac, "zero.flac").samples())
                .containsExactly(0.5f, 0.25f, 0.125f, 0.0625f, 0.03125f, 0.015625f);
    }

    @Test
    void thirtyThreeBitSideChannelOfThirtyTwoBitAudio() {
        long left = Integer.MIN_VALUE;
        long right = Integer.MAX_VALUE;
        byte[] flac = FlacBits.stream(48000, 2, 32, 2).frame(0, 2, FlacFrameHeader.LEFT_SIDE, 7, f -> {
            f.bits(0, 1).bits(1, 6).bits(0, 1); // VERBATIM left
            f.bits(left, 32).bits(left, 32);
            f.bits(0, 1).bits(1, 6).bits(0, 1); // VERBATIM side, 33 bits
            f.bits(left - right, 33).bits(left - right, 33);
        }).bytes();
        float mid = (float) ((left + right) / 2.0 / 2147483648.0);
        assertThat(FlacReader.read(flac, "s33.flac").samples()).containsExactly(mid, mid);
    }

    @Test
    void wastedBitsAreShiftedBackIn() {
        byte[] flac = FlacBits.stream(8000, 1, 16, 3).frame(0, 3, 0, 0, f -> {
            f.bits(0, 1).bits(0, 6).bits(1, 1).unary(2); // CONSTANT with 3 wasted bits
            f.bits(-5 & 0x1FFF, 13);
        }).bytes();
        assertThat(FlacReader.read(flac, "w.flac").samples()).containsExactly(-40 / 32768f, -40 / 32768f,
                -40 / 32768f);
    }

    @Test
    void hostileValuesBehindValidChecksumsAreRejected() {
        assertRejected(f -> f.bits(0, 1).bits(2, 6).bits(0, 1), "reserved subframe type 2");
        assertRejected(f -> f.bits(1, 1), "subframe padding bit set");
        assertRejected(f -> f.bits(0, 1).bits(0, 6).bits(1, 1).unary(20), "21 wasted bits in a 16-bit subframe");
        assertRejected(f -> f.bits(0, 1).bits(FIXED + 2, 6).bits(0, 1).bits(0, 32).bits(0, 2).bits(3, 4),
                "partition order 3 does not fit block size 4 and predictor order 2");
        assertRejected(f -> f.bits(0, 1).bits(FIXED + 1, 6).bits(0, 1).bits(0, 16).bits(2, 2),
                "reserved residual coding method 2");
        assertRejected(f -> f.bits(0, 1).bits(LPC + 7, 6).bits(0, 1), "predictor order 8 exceeds block size 4");
        assertRejected(f -> f.bits(0, 1).bits(LPC, 6).bits(0, 1).bits(0, 16).bits(15, 4),
                "invalid LPC coefficient precision");
        assertRejected(f -> f.bits(0, 1).bits(LPC, 6).bits(0, 1).bits(0, 16).bits(3, 4).bits(0x1F, 5),
                "negative LPC shift -1");
    }

    private static void assertRejected(java.util.function.Consumer<FlacBits> subframe, String problem) {
        byte[] flac = FlacBits.stream(8000, 1, 16, 4).frame(0, 4, 0, 0, f -> {
            subframe.accept(f);
            f.bits(0, 64); // enough bits that the problem, not the end of the stream, is met first
        }).bytes();
        assertThatThrownBy(() -> FlacReader.read(flac, "bad.flac")).isInstanceOf(AudioFormatException.class)
                .hasMessageStartingWith("bad.flac: corrupt FLAC stream at byte ").hasMessageEndingWith(problem);
    }
}
