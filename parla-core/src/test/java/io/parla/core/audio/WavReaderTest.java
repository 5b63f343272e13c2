package io.parla.core.audio;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class WavReaderTest {
    private static Audio read(byte[] wav) {
        return WavReader.read(wav, "t.wav");
    }

    @Test
    void averagesStereoToMono() {
        byte[] wav = WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 2, 16000, 16))
                .chunk("data", WavBytes.pcm16(16384, -8192, -32768, -32768)).build();
        Audio audio = read(wav);
        assertThat(audio.sampleRate()).isEqualTo(16000);
        assertThat(audio.samples()).containsExactly(0.125f, -1f);
    }

    @Test
    void readsExtensiblePcmWithAnyChannelCount() {
        int[] frame = {0x400000, -0x400000, 0x200000}; // 0.5, -0.5, 0.25 in 24 bits
        byte[] wav = WavBytes.riff().chunk("fmt ", WavBytes.fmtExtensible(3, 44100, 24, 20, 1))
                .chunk("data", WavBytes.pcm24(frame)).build();
        assertThat(read(wav).samples()).containsExactly(0.25f / 3);
    }

    @Test
    void readsExtensibleFloat() {
        byte[] wav = WavBytes.riff().chunk("fmt ", WavBytes.fmtExtensible(2, 8000, 32, 32, 3))
                .chunk("data", WavBytes.float32(0.5f, 0.25f, -1f, 1f)).build();
        assertThat(read(wav).samples()).containsExactly(0.375f, 0f);
    }

    @Test
    void skipsUnknownChunksIncludingTheirPadByte() {
        byte[] wav = WavBytes.riff().chunk("LIST", new byte[] {1, 2, 3}).chunk("fmt ", WavBytes.fmt(1, 1, 8000, 16))
                .chunk("junk", new byte[5]).chunk("data", WavBytes.pcm16(16384)).chunk("LIST", new byte[7]).build();
        assertThat(read(wav).samples()).containsExactly(0.5f);
    }

    @Test
    void oddSizedFmtChunkIsFollowedByItsPadByte() {
        byte[] fmt = java.util.Arrays.copyOf(WavBytes.fmt(1, 1, 8000, 16), 19);
        byte[] wav = WavBytes.riff().chunk("fmt ", fmt).chunk("data", WavBytes.pcm16(-16384)).build();
        assertThat(read(wav).samples()).containsExactly(-0.5f);
    }

    @Test
    void readsRf64WithItsDs64Sizes() {
        byte[] ds64 = new byte[28];
        System.arraycopy(WavBytes.le64(4), 0, ds64, 8, 8); // data size
        byte[] wav = WavBytes.riff().form("RF64").chunk("ds64", ds64).chunk("fmt ", WavBytes.fmt(1, 1, 8000, 16))
                .chunk("data", 0xFFFFFFFFL, WavBytes.pcm16(16384, -16384), true).build();
        assertThat(read(wav).samples()).containsExactly(0.5f, -0.5f);
    }

    @Test
    void streamingWriterSizesMeanReadToTheEnd() {
        for (long declared : new long[] {0, 0xFFFFFFFFL}) {
            byte[] data = {0, 0x40, 0, (byte) 0xC0, 1}; // two frames and a partial one
            byte[] wav = WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 1, 8000, 16))
                    .chunk("data", declared, data, false).build();
            assertThat(read(wav).samples()).as("declared %d", declared).containsExactly(0.5f, -0.5f);
        }
    }

    @Test
    void readsEightBitUnsignedAndSixtyFourBitFloat() {
        byte[] pcm8 = WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 1, 8000, 8))
                .chunk("data", new byte[] {(byte) 0x80, (byte) 0xC0, 0}).build();
        assertThat(read(pcm8).samples()).containsExactly(0f, 0.5f, -1f);
        byte[] f64 = WavBytes.riff().chunk("fmt ", WavBytes.fmt(3, 1, 8000, 64))
                .chunk("data", WavBytes.le64(Double.doubleToLongBits(-0.75))).build();
        assertThat(read(f64).samples()).containsExactly(-0.75f);
    }

    @Test
    void readsFromAStreamWithoutClosingIt() {
        byte[] wav = WavBytes.riff().chunk("fmt ", WavBytes.fmt(1, 1, 8000, 16))
                .chunk("data", WavBytes.pcm16(16384)).build();
        var closed = new boolean[1];
        var in = new ByteArrayInputStream(wav) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        assertThat(WavReader.read(in, "stdin").samples()).containsExactly(0.5f);
        assertThat(closed[0]).isFalse();
    }
}
