package io.parla.cli;

import io.parla.core.bitstream.CodecFamily;
import io.parla.core.bitstream.ParlaHeader;
import io.parla.core.bitstream.ParlaReader;
import io.parla.core.safetensors.SafeTensors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI on the tiny SecoustiCodec golden model (whose test-resource folder is a Parla model directory):
 * info, tokens, encode, decode, resynth, and refusal of a stream made by another model.
 */
class SecoustiCodecCliTest {
    static final Path MODEL = Path.of("..", "parla-secousticodec", "src", "test", "resources", "secousticodec");
    static final Path INPUT = MODEL.resolve("input.wav");

    @TempDir
    static Path tmp;

    private static String goldenTokens;

    @BeforeAll
    static void golden() {
        assertThat(MODEL.resolve("config.json")).isRegularFile();
        try (SafeTensors st = SafeTensors.open(MODEL.resolve("expected.safetensors"))) {
            float[] t = st.tensors().get("tokens").toFloatArray();
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < t.length; i++) b.append(i == 0 ? "" : ",").append(Math.round(t[i]));
            goldenTokens = b.append(']').toString();
        }
    }

    /** Exit code, stdout and stderr of one CLI run. */
    record Run(int code, String out, String err) {}

    static synchronized Run run(String... args) {
        PrintStream oldOut = System.out, oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = ParlaCli.run(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Run ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("exit code of %s; stderr: %s", Arrays.toString(args), r.err()).isZero();
        return r;
    }

    @Test
    void infoShowsCodebookRatesAndTheOneOffEmbeddingCost() {
        String out = ok("info", "--model", MODEL.toString()).out();
        System.out.print(out);
        assertThat(out).contains("family       SecoustiCodec 21.533 Hz", "codebook     6561 codes (13 bits)",
                "token rate   21.533 Hz", "bitrate      279.932 bit/s + 69 bytes once per stream",
                "sample rate  in 22050 Hz, out 22050 Hz", "paralinguistic embedding, 32 x F16",
                "log2(6561) = 12.68 bits/token -> 273.035 bit/s", "total");
    }

    @Test
    void tokensAreTheGoldenTokens() {
        assertThat(ok("tokens", "--model", MODEL.toString(), INPUT.toString()).out().trim()).isEqualTo(goldenTokens);
    }

    @Test
    void encodeDecodeEqualsResynthAndOtherModelsAreRefused() throws Exception {
        Path parla = tmp.resolve("a.parla"), dec = tmp.resolve("dec.wav"), res = tmp.resolve("res.wav");
        ok("encode", "--model", MODEL.toString(), INPUT.toString(), parla.toString());
        try (ParlaReader r = ParlaReader.open(parla)) {
            ParlaHeader h = r.header();
            assertThat(h.codecFamily()).contains(CodecFamily.SECOUSTICODEC);
            assertThat(h.codebookBits()).isEqualTo(13);
            assertThat(h.sampleCount()).isEqualTo(66150);
            assertThat(h.paralinguisticEmbedding()).hasValueSatisfying(p -> assertThat(p).hasSize(32));
            assertThat(Arrays.toString(r.readAll()).replace(" ", "")).isEqualTo(goldenTokens);
        }
        ok("decode", "--model", MODEL.toString(), parla.toString(), dec.toString());
        ok("resynth", "--model", MODEL.toString(), INPUT.toString(), res.toString());
        assertThat(Files.size(dec)).isEqualTo(44 + 2 * 66150);
        assertThat(Files.readAllBytes(dec)).as("decode(encode) = resynth (same seed)").isEqualTo(Files.readAllBytes(res));
        Path seeded = tmp.resolve("seed7.wav");
        ok("resynth", "--seed", "7", "--model", MODEL.toString(), INPUT.toString(), seeded.toString());
        assertThat(Files.readAllBytes(seeded)).as("another seed, other vocoder noise").isNotEqualTo(Files.readAllBytes(res));

        // same config and codec weights but no vocoder file: another model hash, so the stream is refused
        Path other = Files.createDirectories(tmp.resolve("other-model"));
        Files.copy(MODEL.resolve("config.json"), other.resolve("config.json"));
        Files.copy(MODEL.resolve("codec.safetensors"), other.resolve("codec.safetensors"));
        Run r = run("decode", "--model", other.toString(), parla.toString(), tmp.resolve("x.wav").toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("encoded with model 'secousticodec'", "but the loaded model is 'other-model'");
        assertThat(tmp.resolve("x.wav")).doesNotExist();
    }

    /**
     * {@code stream} runs the streaming encoder and decoder; its output must equal what the Java API gives for the
     * same tokens (streaming encoder, then offline decode with the F16-rounded embedding and the default seed), so
     * the CLI adds nothing and loses nothing. (It differs from {@code resynth}: the tiny model's attention window is
     * 16 tokens and the streaming encoder sees context - 1, as the reference's streaming mode does.)
     */
    @Test
    void streamEqualsTheOfflineDecodeOfTheStreamedTokens() throws Exception {
        Path out = tmp.resolve("stream.wav"), ref = tmp.resolve("stream-ref.wav"), seeded = tmp.resolve("stream7.wav");
        Run r = ok("stream", "--model", MODEL.toString(), "--push-ms", "30", INPUT.toString(), out.toString());
        System.out.print(r.out());
        assertThat(r.out()).contains("65 tokens (21.533 Hz)", "algorithmic latency  275.0 ms worst case",
                "vocoder lookahead 19 frames = 5 tokens");

        io.parla.secousticodec.SecoustiCodec m = io.parla.secousticodec.SecoustiCodec.load(MODEL);
        float[] sig = AudioIO.readAt(INPUT, 22050);
        var enc = m.streamingEncoder();
        int[] toks = io.parla.core.util.ArrayConcat.concat(enc.push(sig), enc.flush());
        float[] p = SecoustiCodecAdapter.asStored(m.sigToParalinguistic(sig, 22050));
        AudioIO.write(ref, Arrays.copyOf(m.toksToSig(toks, p, SecoustiCodecAdapter.DEFAULT_SEED), sig.length), 22050, false);
        assertThat(Files.readAllBytes(out)).as("stream = decode of the streamed tokens").isEqualTo(Files.readAllBytes(ref));

        ok("stream", "--model", MODEL.toString(), "--seed", "7", "--push-ms", "500", INPUT.toString(), seeded.toString());
        assertThat(Files.readAllBytes(seeded)).as("another seed, other vocoder noise").isNotEqualTo(Files.readAllBytes(out));
        assertThat(ok("info", "--model", MODEL.toString()).out()).contains("latency      275.0 ms worst case when streaming (parla stream; vocoder lookahead 19 mel frames)");
    }
}
