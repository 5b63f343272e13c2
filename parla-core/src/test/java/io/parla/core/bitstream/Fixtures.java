package io.parla.core.bitstream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Shared test data: model hashes, headers, token streams and encoded files. */
final class Fixtures {
    static final String FC_2K = "focalcodec_50hz_2k_causal";
    static final String FC_4K = "focalcodec_50hz_4k_causal";

    private Fixtures() {
    }

    /** A stand-in for the model hash (the real one is computed over config JSON + weights elsewhere). */
    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** A FocalCodec-Stream header: 50 Hz, 16 kHz in, 24 kHz out, counts unknown. */
    static ParlaHeader.Builder focal(String name, int bits) {
        return ParlaHeader.builder().model(sha256(name), name).codecFamily(CodecFamily.FOCALCODEC_STREAM)
                .codebookBits(bits).tokenRate(50, 1).sampleRates(16_000, 24_000);
    }

    static int[] randomTokens(Random rnd, int count, int bits) {
        int[] t = new int[count];
        for (int i = 0; i < count; i++) t[i] = bits == 32 ? rnd.nextInt() : rnd.nextInt() >>> (32 - bits);
        return t;
    }

    /** The file a non-seekable writer produces for {@code tokens} (in one write call). */
    static byte[] encode(ParlaHeader header, int[] tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ParlaWriter w = new ParlaWriter(bytes, header, "test.parla")) {
            w.writeTokens(tokens);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ParlaReader reader(byte[] file) throws IOException {
        return new ParlaReader(new java.io.ByteArrayInputStream(file), "in.parla");
    }
}
