package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ParlaFileTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryWidthWithRandomCountsAndPacketSizes() throws IOException {
        Random rnd = new Random(7);
        for (int bits = 1; bits <= 32; bits++) {
            for (int trial = 0; trial < 6; trial++) {
                int perPacket = 1 + rnd.nextInt(trial % 2 == 0 ? 8 : 120);
                int count = trial == 0 ? 0 : rnd.nextInt(400);
                int[] tokens = Fixtures.randomTokens(rnd, count, bits);
                ParlaHeader header = Fixtures.focal("m", bits).tokensPerPacket(perPacket).build();
                byte[] file = encodeInPieces(header, tokens, rnd);
                try (ParlaReader r = Fixtures.reader(file)) {
                    assertThat(r.header()).isEqualTo(header);
                    assertThat(r.readAll()).as("%d bits, %d tokens, %d per packet", bits, count, perPacket)
                            .containsExactly(tokens);
                    assertThat(r.isAtEnd()).isTrue();
                    assertThat(r.nextPacket()).isNull();
                }
            }
        }
    }

    /** Writes in random-sized pieces, with an occasional flush(): the reader must not care. */
    private static byte[] encodeInPieces(ParlaHeader header, int[] tokens, Random rnd) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParlaWriter w = new ParlaWriter(out, header)) {
            int i = 0;
            while (i < tokens.length) {
                int n = Math.min(tokens.length - i, rnd.nextInt(70));
                w.writeTokens(tokens, i, n);
                i += n;
                if (rnd.nextInt(10) == 0) w.flush();
            }
        }
        return out.toByteArray();
    }

    @Test
    void seekableOutputGetsExactCountsPatchedIn() throws IOException {
        Path file = dir.resolve("a.parla");
        int[] tokens = Fixtures.randomTokens(new Random(3), 1234, 12);
        try (ParlaWriter w = ParlaWriter.create(file, Fixtures.focal(Fixtures.FC_4K, 12).tokensPerPacket(50).build())) {
            w.writeTokens(Arrays.copyOf(tokens, 1000));
            w.writeTokens(Arrays.copyOfRange(tokens, 1000, 1234));
            w.setSampleCount(394_880);
        }
        try (ParlaReader r = ParlaReader.open(file)) {
            assertThat(r.header().tokenCount()).isEqualTo(1234);
            assertThat(r.header().sampleCount()).isEqualTo(394_880);
            assertThat(r.readAll()).containsExactly(tokens);
        }
    }

    @Test
    void nonSeekableOutputLeavesCountsUnknown() throws IOException {
        int[] tokens = Fixtures.randomTokens(new Random(3), 77, 11);
        byte[] file = Fixtures.encode(Fixtures.focal(Fixtures.FC_2K, 11).build(), tokens);
        try (ParlaReader r = Fixtures.reader(file)) {
            assertThat(r.header().tokenCount()).isEqualTo(ParlaHeader.UNKNOWN);
            assertThat(r.header().sampleCount()).isEqualTo(ParlaHeader.UNKNOWN);
            List<Integer> viaIterator = new ArrayList<>();
            r.tokens().forEachRemaining((int t) -> viaIterator.add(t));
            assertThat(viaIterator).containsExactly(Arrays.stream(tokens).boxed().toArray(Integer[]::new));
        }
    }

    @Test
    void nonSeekableOutputChecksAPromisedCount() {
        ParlaHeader promised = Fixtures.focal(Fixtures.FC_2K, 11).counts(10, 3200).build();
        assertThat(Fixtures.encode(promised, new int[10])).isNotEmpty();
        assertThatThrownBy(() -> Fixtures.encode(promised, new int[9])).isInstanceOf(BitstreamException.class)
                .hasMessage("test.parla: the header promised 10 tokens but 9 were written");
    }

    @ParameterizedTest
    @CsvSource({"11, 550", "12, 600", "16, 800"})
    void payloadBitrateIsExactlyBitsTimesFiftyHertz(int bits, int bitsPerSecond) throws IOException {
        ParlaHeader header = Fixtures.focal("m", bits).build();
        assertThat(header.payloadBitsPerSecond()).isEqualTo(bitsPerSecond);
        for (int seconds : new int[] {1, 8, 60, 3600}) {
            int tokens = 50 * seconds;
            assertThat(BitPacker.packedBytes(tokens, bits) * 8)
                    .as("payload bits for %d s", seconds).isBetween((long) bitsPerSecond * seconds,
                            (long) bitsPerSecond * seconds + 7);
        }
        // The packets of a whole file carry exactly tokens*bits payload bits (plus < 8 padding bits per packet).
        byte[] file = Fixtures.encode(header, new int[3000]);
        long packets = Math.ceilDiv(3000, header.tokensPerPacket());
        long overhead = file.length - 60L * bitsPerSecond / 8;
        assertThat(overhead).isEqualTo(header.encodedLength() + 3 * packets);
    }

    @Test
    void overheadOfASixtySecondFileAt550BitPerSecondIsUnderThreePercent() {
        for (int bits : new int[] {11, 12, 16}) {
            ParlaHeader header = Fixtures.focal("focalcodec_50hz_" + (bits == 11 ? "2k" : bits == 12 ? "4k" : "65k")
                    + "_causal", bits).counts(3000, 960_000).build();
            byte[] file = Fixtures.encode(header, Fixtures.randomTokens(new Random(bits), 3000, bits));
            long payload = 3000L * bits / 8;
            long overhead = file.length - payload;
            double percent = 100.0 * overhead / payload;
            System.out.printf("60 s at %d bit/s (%s): file %d bytes = payload %d + overhead %d (header %d, 3 packets"
                    + " x 3) = %.2f %%%n", bits * 50, header.modelName(), file.length, payload, overhead,
                    header.encodedLength(), percent);
            assertThat(percent).isLessThan(3.0);
            if (bits == 11) assertThat(overhead).isEqualTo(115).isLessThan(124);
        }
    }

    @Test
    void everyTruncationIsACleanError() throws IOException {
        ParlaHeader base = Fixtures.focal("m", 11).tokensPerPacket(4).build();
        int[] tokens = Fixtures.randomTokens(new Random(5), 10, 11);
        for (ParlaHeader header : List.of(base, base.withCounts(10, 3200))) {
            byte[] file = Fixtures.encode(header, tokens);
            assertThat(Fixtures.reader(file).readAll()).containsExactly(tokens);
            for (int len = 0; len < file.length; len++) {
                byte[] cut = Arrays.copyOf(file, len);
                int length = len;
                assertThatThrownBy(() -> Fixtures.reader(cut).readAll())
                        .as("file cut to %d of %d bytes", len, file.length)
                        .isInstanceOf(BitstreamException.class)
                        .satisfies(e -> assertThat(e.getMessage()).startsWith("in.parla: ")
                                .containsAnyOf("truncated", "not a Parla file"));
            }
        }
        byte[] file = Fixtures.encode(base, tokens);
        assertThatThrownBy(() -> Fixtures.reader(Arrays.copyOf(file, file.length - 3 - 2 - 3)).readAll())
                .hasMessage("in.parla: packet 2 at byte " + (file.length - 8) + ": truncated at a packet boundary after 8"
                        + " tokens (the end packet is missing)");
    }

    @Test
    void everySingleBitFlipIsDetected() throws IOException {
        ParlaHeader header = Fixtures.focal("m", 11).tokensPerPacket(3).counts(7, 2240)
                .paralinguisticEmbedding(new float[] {0.5f, -1f}, HeaderExtension.FloatFormat.F16).build();
        int[] tokens = Fixtures.randomTokens(new Random(9), 7, 11);
        byte[] file = Fixtures.encode(header, tokens);
        for (int bit = 0; bit < file.length * 8; bit++) {
            byte[] bad = file.clone();
            bad[bit / 8] ^= (byte) (0x80 >>> (bit % 8));
            assertThatThrownBy(() -> Fixtures.reader(bad).readAll()).as("bit %d of byte %d flipped", bit % 8, bit / 8)
                    .isInstanceOf(BitstreamException.class);
        }
    }

    @Test
    void corruptedPacketNamesSourcePacketAndOffset() throws IOException {
        ParlaHeader header = Fixtures.focal("m", 11).tokensPerPacket(4).build();
        byte[] file = Fixtures.encode(header, new int[20]);
        int packetSize = 1 + 6 + 2;
        int packet2 = header.encodedLength() + 2 * packetSize;
        file[packet2 + 3] ^= 0x10;
        try (ParlaReader r = Fixtures.reader(file)) {
            assertThat(r.nextPacket()).hasSize(4);
            assertThat(r.nextPacket()).hasSize(4);
            assertThatThrownBy(r::nextPacket)
                    .hasMessage("in.parla: packet 2 at byte " + packet2 + ": CRC mismatch (data corrupted)");
        }
    }

    @Test
    void swappedOrDroppedPacketsAreDetected() throws IOException {
        ParlaHeader header = Fixtures.focal("m", 16).tokensPerPacket(2).build();
        byte[] file = Fixtures.encode(header, new int[] {1, 2, 3, 4, 5, 6, 7});
        int h = header.encodedLength();
        int size = 1 + 4 + 2;
        byte[] dropped = new byte[file.length - size];
        System.arraycopy(file, 0, dropped, 0, h + size);
        System.arraycopy(file, h + 2 * size, dropped, h + size, file.length - h - 2 * size);
        assertThatThrownBy(() -> Fixtures.reader(dropped).readAll())
                .hasMessageContaining("packet 1 at byte " + (h + size) + ": sequence number 2 where 1 was expected");
        // 32 packets later the sequence bits repeat; the CRC, keyed by the packet index, still catches it.
        ParlaHeader one = Fixtures.focal("m", 16).tokensPerPacket(1).build();
        byte[] many = Fixtures.encode(one, new int[40]);
        int oneSize = 1 + 2 + 2;
        byte[] skipped = new byte[many.length - 32 * oneSize];
        int hh = one.encodedLength();
        System.arraycopy(many, 0, skipped, 0, hh);
        System.arraycopy(many, hh + 32 * oneSize, skipped, hh, many.length - hh - 32 * oneSize);
        assertThatThrownBy(() -> Fixtures.reader(skipped).readAll()).hasMessageContaining("packet 0 at byte " + hh
                + ": CRC mismatch");
    }

    @Test
    void countMismatchesAndTrailingDataAreErrors() throws IOException {
        ParlaHeader header = Fixtures.focal("m", 11).tokensPerPacket(4).build();
        byte[] file = Fixtures.encode(header, new int[6]);
        byte[] trailing = Arrays.copyOf(file, file.length + 1);
        assertThatThrownBy(() -> Fixtures.reader(trailing).readAll())
                .hasMessage("in.parla: trailing data at byte " + file.length + " after the end packet");
        byte[] tooFew = withHeader(file, header.withCounts(7, ParlaHeader.UNKNOWN));
        assertThatThrownBy(() -> Fixtures.reader(tooFew).readAll())
                .hasMessageContaining("end packet after 6 tokens but the header says 7 (tokens lost)");
        byte[] tooMany = withHeader(file, header.withCounts(5, ParlaHeader.UNKNOWN));
        assertThatThrownBy(() -> Fixtures.reader(tooMany).readAll())
                .hasMessageContaining("packet 1 at byte").hasMessageContaining("more tokens than the header's count of 5");
    }

    private static byte[] withHeader(byte[] file, ParlaHeader header) {
        byte[] h = header.toBytes();
        byte[] out = file.clone();
        System.arraycopy(h, 0, out, 0, h.length);
        return out;
    }

    @Test
    void wrongMagicAndVersionAreNamed() {
        byte[] file = Fixtures.encode(Fixtures.focal("m", 11).build(), new int[3]);
        byte[] wav = file.clone();
        System.arraycopy("RIFF".getBytes(), 0, wav, 0, 4);
        assertThatThrownBy(() -> Fixtures.reader(wav)).isInstanceOf(BitstreamException.class)
                .hasMessage("in.parla: not a Parla file (bad magic: starts with 0x52494646, expected \"PRLA\")");
        byte[] v7 = file.clone();
        v7[4] = 7;
        assertThatThrownBy(() -> Fixtures.reader(v7))
                .hasMessage("in.parla: unsupported format version 7 (this Parla reads version 1)");
        assertThatThrownBy(() -> Fixtures.reader(new byte[0])).hasMessage("in.parla: not a Parla file (empty)");
        byte[] headerFlip = file.clone();
        headerFlip[30] ^= 1;
        assertThatThrownBy(() -> Fixtures.reader(headerFlip))
                .hasMessage("in.parla: header at byte 0: CRC mismatch (data corrupted)");
    }

    @Test
    void outOfRangeTokensAreRejectedByTheWriter() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ParlaWriter w = new ParlaWriter(out, Fixtures.focal("m", 11).build(), "out.parla")) {
            w.writeTokens(new int[] {1, 2, 3});
            assertThatThrownBy(() -> w.writeTokens(new int[] {4, 5000})).isInstanceOf(BitstreamException.class)
                    .hasMessage("out.parla: token 5000 out of range for an 11-bit codebook (0..2047), at index 1 of this"
                            + " write (token 3 of the stream onwards)");
            w.writeTokens(new int[] {2047});
        }
        assertThat(Fixtures.reader(out.toByteArray()).readAll()).containsExactly(1, 2, 3, 2047);
    }

    @Test
    void readsFromAnyInputStream() throws IOException {
        int[] tokens = Fixtures.randomTokens(new Random(1), 2500, 16);
        byte[] file = Fixtures.encode(Fixtures.focal("m", 16).build(), tokens);
        Path p = dir.resolve("x.parla");
        Files.write(p, file);
        try (ParlaReader r = new ParlaReader(Files.newInputStream(p), "x.parla")) {
            assertThat(r.readAll()).containsExactly(tokens);
            assertThat(r.position()).isEqualTo(file.length);
        }
        try (ParlaReader r = new ParlaReader(new ByteArrayInputStream(file), "x")) {
            assertThat(r.nextPacket()).hasSize(1000);
            assertThat(r.tokensRead()).isEqualTo(1000);
        }
    }
}
