package io.parla.core.bitstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/bitstream.md true: its examples (annotated hex dumps, the overhead table) are produced here from the
 * code, and the annotation comes from a small independent reading of the spec ({@link Dissector}), so a layout
 * change that the document does not describe fails this test. Also keeps the fuzzers' seed files current.
 *
 * <p>After an intended format or doc change: {@code ./mvnw -pl parla-core test -Dtest=BitstreamSpecExamplesTest
 * -Dparla.updateDocs=true}.
 */
class BitstreamSpecExamplesTest {
    private static final boolean UPDATE = Boolean.getBoolean("parla.updateDocs");
    private static final Path MODULE = Path.of(System.getProperty("basedir", "."));
    private static final Path DOC = MODULE.resolve("../docs/bitstream.md").normalize();
    private static final Path SEEDS = MODULE.resolve("src/test/resources/io/parla/core/bitstream");

    static final int[] EXAMPLE_TOKENS = {0, 1, 2, 2047, 1024, 5, 6, 7, 8, 9};

    static ParlaHeader exampleHeader() {
        return ParlaHeader.builder().model(Fixtures.sha256("demo"), "demo").codecFamily(CodecFamily.FOCALCODEC_STREAM)
                .codebookBits(11).tokenRate(50, 1).sampleRates(16_000, 24_000).tokensPerPacket(4)
                .counts(EXAMPLE_TOKENS.length, 3200).build();
    }

    static byte[] exampleFile() {
        return Fixtures.encode(exampleHeader(), EXAMPLE_TOKENS);
    }

    static byte[] secoustiFile() {
        ParlaHeader h = ParlaHeader.builder().model(Fixtures.sha256("secousti"), "secousti-86hz")
                .codecFamily(CodecFamily.SECOUSTICODEC).codebookBits(10).tokenRate(11025, 128)
                .sampleRates(22_050, 22_050).tokensPerPacket(200)
                .paralinguisticEmbedding(new float[] {0.5f, -1.25f, 3f}, HeaderExtension.FloatFormat.F16).build();
        return Fixtures.encode(h, new int[] {1023, 0, 512});
    }

    static byte[] exampleDatagram() {
        return new NetworkPacket(7, NetworkPacket.modelTag(Fixtures.sha256("demo")), 0x2A, 40, 11, false,
                new int[] {3, 2047, 0, 1}).encode();
    }

    @Test
    void checkValuesOfTheCrcs() {
        byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
        assertThat(new Crc16().update(check, 0, 9).value()).isEqualTo(0x29B1);
        CRC32C c = new CRC32C();
        c.update(check);
        assertThat(c.getValue()).isEqualTo(0xE3069283L);
    }

    @Test
    void documentExamplesAreGeneratedFromTheCode() throws IOException {
        Map<String, String> blocks = new LinkedHashMap<>();
        blocks.put("example-file", dump(exampleFile()) + "\n" + Dissector.file(exampleFile()));
        blocks.put("example-secousti", dump(secoustiFile()) + "\n" + Dissector.file(secoustiFile()));
        blocks.put("example-network", dump(exampleDatagram()) + "\n" + Dissector.datagram(exampleDatagram()));
        blocks.put("overhead-table", overheadTable());
        String doc = Files.readString(DOC);
        String updated = doc;
        for (Map.Entry<String, String> e : blocks.entrySet()) {
            Pattern p = Pattern.compile("(<!-- generated:" + e.getKey() + " -->\n)(.*?)(<!-- /generated:" + e.getKey()
                    + " -->)", Pattern.DOTALL);
            Matcher m = p.matcher(updated);
            assertThat(m.find()).as("docs/bitstream.md has a generated:%s block", e.getKey()).isTrue();
            String body = e.getKey().equals("overhead-table") ? e.getValue() + "\n" : "```\n" + e.getValue() + "```\n";
            updated = m.replaceFirst(Matcher.quoteReplacement(m.group(1) + body + m.group(3)));
        }
        if (UPDATE) {
            if (!updated.equals(doc)) Files.writeString(DOC, updated);
            return;
        }
        assertThat(updated).as("docs/bitstream.md is out of date; run ./mvnw -pl parla-core test"
                + " -Dtest=BitstreamSpecExamplesTest -Dparla.updateDocs=true").isEqualTo(doc);
    }

    @Test
    void fuzzSeedsAreCurrent() throws IOException {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        String reader = "ParlaReaderFuzzTestInputs/readAnything/";
        seeds.put(reader + "example.parla", exampleFile());
        seeds.put(reader + "secousti.parla", secoustiFile());
        Random rnd = new Random(2);
        ByteArrayOutputStream flushed = new ByteArrayOutputStream();
        try (ParlaWriter w = new ParlaWriter(flushed, Fixtures.focal("m", 32).tokensPerPacket(3).build())) {
            w.writeTokens(Fixtures.randomTokens(rnd, 5, 32));
            w.flush();
            w.writeTokens(Fixtures.randomTokens(rnd, 2, 32));
        }
        seeds.put(reader + "flushed-32bit.parla", flushed.toByteArray());
        seeds.put(reader + "one-bit.parla", Fixtures.encode(Fixtures.focal("m", 1).tokensPerPacket(9).build(),
                Fixtures.randomTokens(rnd, 20, 1)));

        PacketSender sender = new PacketSender(NetworkFuzzTest.MODEL, 1, 11, 3, 65533);
        List<byte[]> datagrams = new ArrayList<>(sender.push(Fixtures.randomTokens(rnd, 14, 11)));
        datagrams.add(sender.finish());
        int[][] orders = {{0, 1, 2, 3, 4}, {0, 2, 1, 4, 3, 3}, {0, 3, 4}};
        for (int i = 0; i < orders.length; i++) {
            ByteArrayOutputStream in = new ByteArrayOutputStream();
            in.write(i == 2 ? 0x80 | 10 : (i << 5) | 10); // 11 bits; policies REPEAT_LAST, SILENCE_TOKEN; window 4/0
            for (int k : orders[i]) {
                byte[] d = datagrams.get(k);
                in.write(d.length >>> 8);
                in.write(d.length);
                in.write(d);
            }
            seeds.put("NetworkFuzzTestInputs/receiveAnything/stream-" + i, in.toByteArray());
        }
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Path file = SEEDS.resolve(e.getKey());
            if (UPDATE) {
                Files.createDirectories(file.getParent());
                Files.write(file, e.getValue());
            }
            assertThat(file).as("seed %s (regenerate with -Dparla.updateDocs=true)", e.getKey()).exists()
                    .hasBinaryContent(e.getValue());
        }
    }

    private static String overheadTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| tokens per packet | packets | 550 bit/s (2k) | 600 bit/s (4k) | 800 bit/s (65k) |\n");
        sb.append("|---:|---:|---:|---:|---:|\n");
        for (int perPacket : new int[] {50, 250, 500, 1000, 3000}) {
            sb.append("| ").append(perPacket).append(perPacket == ParlaHeader.DEFAULT_TOKENS_PER_PACKET ? " (default)" : "")
                    .append(" | ").append(Math.ceilDiv(3000, perPacket));
            for (int bits : new int[] {11, 12, 16}) {
                String name = "focalcodec_50hz_" + (bits == 11 ? "2k" : bits == 12 ? "4k" : "65k") + "_causal";
                ParlaHeader h = Fixtures.focal(name, bits).tokensPerPacket(perPacket).counts(3000, 960_000).build();
                long payload = 3000L * bits / 8;
                long overhead = Fixtures.encode(h, new int[3000]).length - payload;
                sb.append(String.format(" | %d B = %.2f %%%s", overhead, 100.0 * overhead / payload,
                        overhead * 100 < payload * 3 ? "" : " ✗"));
            }
            sb.append(" |\n");
        }
        return sb.toString();
    }

    /** Classic 16-bytes-a-line hex dump. */
    static String dump(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (int off = 0; off < bytes.length; off += 16) {
            sb.append(String.format("%04x ", off));
            for (int i = off; i < off + 16; i++) {
                sb.append(i % 8 == 0 ? "  " : " ").append(i < bytes.length ? String.format("%02x", bytes[i]) : "  ");
            }
            sb.append("  |");
            for (int i = off; i < Math.min(off + 16, bytes.length); i++) {
                sb.append(bytes[i] >= 0x20 && bytes[i] < 0x7F ? (char) bytes[i] : '.');
            }
            sb.append("|\n");
        }
        return sb.toString();
    }

    /** Reads bytes the way docs/bitstream.md describes them, naming each field; shares no code with the reader. */
    static final class Dissector {
        private final ByteBuffer buf;
        private final StringBuilder out = new StringBuilder();

        private Dissector(byte[] bytes) {
            this.buf = ByteBuffer.wrap(bytes);
        }

        private long field(int size, String name) {
            int off = buf.position();
            byte[] b = new byte[size];
            buf.get(b);
            long v = 0;
            for (int i = 0; i < Math.min(size, 8); i++) v = (v << 8) | (b[i] & 0xFF);
            String hex = HexFormat.ofDelimiter(" ").formatHex(b);
            if (hex.length() > 23) hex = hex.substring(0, 20) + "...";
            out.append(String.format("%04x  %-23s  %s%n", off, hex, name.replace("{}", Long.toString(v))
                    .replace("{x}", HexFormat.of().formatHex(b, 0, Math.min(size, 8))).replace("{u64}", v == -1 ? "unknown" : Long.toString(v))));
            return v;
        }

        /** Reads the tokens bit by bit, most significant first, and names them. */
        private void tokens(int count, int bits, String indent) {
            int start = buf.position();
            List<Long> values = new ArrayList<>();
            for (int t = 0; t < count; t++) {
                long v = 0;
                for (int k = 0; k < bits; k++) {
                    int bit = t * bits + k;
                    v = (v << 1) | ((buf.get(start + bit / 8) >>> (7 - bit % 8)) & 1);
                }
                values.add(v);
            }
            String shown = values.size() > 8 ? values.subList(0, 8) + "..." : values.toString();
            field((count * bits + 7) / 8, indent + count + " tokens x " + bits + " bits: " + shown);
        }

        static String file(byte[] bytes) {
            Dissector d = new Dissector(bytes);
            d.field(4, "magic \"PRLA\"");
            d.field(1, "format version {}");
            int headerLength = (int) d.field(2, "header length {} bytes");
            d.field(1, "codec family {}");
            int bits = (int) d.field(1, "codebook bits {}");
            d.field(1, "codebooks {}");
            int perPacket = (int) d.field(2, "tokens per packet {}");
            d.field(4, "token rate numerator {}");
            d.field(4, "token rate denominator {}");
            d.field(4, "input sample rate {} Hz");
            d.field(4, "output sample rate {} Hz");
            d.field(8, "token count {u64}");
            d.field(8, "sample count {u64}");
            d.field(32, "model SHA-256");
            int nameLength = (int) d.field(1, "model name length {}");
            if (nameLength > 0) {
                String name = new String(bytes, d.buf.position(), nameLength, StandardCharsets.UTF_8);
                d.field(nameLength, "model name \"" + name + "\"");
            }
            while (d.buf.position() < headerLength - 4) {
                d.field(2, "extension type 0x{x}");
                int len = (int) d.field(2, "extension length {}");
                d.field(len, "extension value");
            }
            d.field(4, "header CRC-32C 0x{x}");
            for (int index = 0; d.buf.hasRemaining(); index++) {
                int marker = d.buf.get(d.buf.position()) & 0xFF;
                d.field(1, "packet " + index + " marker 0x{x}: " + ((marker & 0x80) != 0 ? "END, " : "")
                        + ((marker & 0x40) != 0 ? "SHORT, " : "full, ") + "seq " + (marker & 0x1F));
                int count = (marker & 0x40) != 0 ? (int) d.field(2, "  token count {}") : perPacket;
                if (count > 0) d.tokens(count, bits, "  ");
                d.field(2, "  CRC-16 0x{x}");
            }
            return d.out.toString();
        }

        static String datagram(byte[] bytes) {
            Dissector d = new Dissector(bytes);
            int first = d.buf.get(0) & 0xFF;
            d.field(1, "version " + (first >>> 4) + ", flags " + (first & 15));
            int bits = (int) d.field(1, "codebook bits {}");
            d.field(2, "sequence number {}");
            d.field(4, "model tag 0x{x}");
            d.field(4, "stream id 0x{x}");
            d.field(4, "first token index {}");
            int count = (int) d.field(2, "token count {}");
            d.tokens(count, bits, "");
            d.field(4, "CRC-32C 0x{x}");
            return d.out.toString();
        }
    }
}
