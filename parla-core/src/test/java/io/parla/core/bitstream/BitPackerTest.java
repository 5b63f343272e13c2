package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BitPackerTest {
    @Test
    void roundTripsEveryWidthAndManyCounts() {
        Random rnd = new Random(1);
        for (int bits = 1; bits <= 32; bits++) {
            for (int trial = 0; trial < 40; trial++) {
                int count = trial < 10 ? trial : rnd.nextInt(300);
                int[] tokens = Fixtures.randomTokens(rnd, count, bits);
                byte[] packed = BitPacker.pack(tokens, bits);
                assertThat(packed).hasSize((int) Math.ceilDiv((long) count * bits, 8));
                int[] back = new int[count];
                assertThat(BitUnpacker.unpack(packed, 0, count, bits, back, 0)).as("padding is zero").isTrue();
                assertThat(back).as("%d tokens of %d bits", count, bits).containsExactly(tokens);
            }
        }
    }

    @Test
    void packsMostSignificantBitFirstWithZeroPadding() {
        // 11-bit tokens 0x7FF, 0x001: 11111111 111 00000 000001 -> FF E0 04 (last 2 bits padding)
        assertThat(BitPacker.pack(new int[] {0x7FF, 0x001}, 11)).containsExactly(0xFF, 0xE0, 0x04);
        assertThat(BitPacker.pack(new int[] {1, 0, 1}, 1)).containsExactly(0xA0);
        assertThat(BitPacker.pack(new int[] {0xDEADBEEF}, 32)).containsExactly(0xDE, 0xAD, 0xBE, 0xEF);
        assertThat(BitUnpacker.unpack(new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF}, 0, 1, 32))
                .containsExactly(0xDEADBEEF);
    }

    @Test
    void packsAtAnOffset() {
        int[] tokens = {5, 6, 7, 8};
        byte[] dst = new byte[5];
        int n = BitPacker.pack(tokens, 1, 2, 12, dst, 2);
        assertThat(n).isEqualTo(3);
        assertThat(BitUnpacker.unpack(dst, 2, 2, 12)).containsExactly(6, 7);
    }

    @Test
    void nonZeroPaddingIsReported() {
        assertThat(BitUnpacker.unpack(new byte[] {(byte) 0xA1}, 0, 3, 1, new int[3], 0)).isFalse();
    }

    @Test
    void rejectsOutOfRangeTokensWithANamedMessage() {
        assertThatThrownBy(() -> BitPacker.pack(new int[] {1, 5000}, 11)).isInstanceOf(BitstreamException.class)
                .hasMessage("token 5000 out of range for an 11-bit codebook (0..2047), at index 1");
        assertThatThrownBy(() -> BitPacker.pack(new int[] {-1}, 16)).isInstanceOf(BitstreamException.class)
                .hasMessageContaining("token -1 out of range for a 16-bit codebook");
        assertThatThrownBy(() -> BitPacker.pack(new int[] {1}, 33)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BitPacker.pack(new int[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unpackingPastTheEndIsAnIndexError() {
        assertThatThrownBy(() -> BitUnpacker.unpack(new byte[2], 0, 2, 11)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
