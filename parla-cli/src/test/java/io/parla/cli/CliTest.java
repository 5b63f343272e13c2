package io.parla.cli;

import io.parla.core.audio.Audio;
import io.parla.core.audio.AudioFiles;
import io.parla.core.audio.WavWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line end to end on the golden causal model: outputs, and one-line errors for bad input. */
class CliTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err) {}

    /** The golden models of the focalcodec module (tests run with the module directory as working directory). */
    static Path golden(String name) {
        return Path.of("..", "parla-focalcodec", "src", "test", "resources", "golden", name).toAbsolutePath().normalize();
    }

    static synchronized Result run(String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
        try {
            int code = ParlaCli.run(args);
            return new Result(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private final String model = golden("tiny_causal_50hz_2k").toString();
    private final Path input = golden("tiny_causal_50hz_2k").resolve("input.wav");

    @Test
    void tokensPrintsOneJsonArrayMatchingTheReference() {
        Result r = run("tokens", "--model", model, input.toString());
        assertThat(r.exit()).isZero();
        String json = r.out().trim();
        assertThat(json).startsWith("[").endsWith("]").doesNotContain("\n");
        try (var exp = io.parla.core.safetensors.SafeTensors.open(golden("tiny_causal_50hz_2k").resolve("expected.safetensors"))) {
            StringBuilder want = new StringBuilder("[");
            for (long t : exp.get("offline.toks").toLongArray()) want.append(want.length() > 1 ? "," : "").append(t);
            assertThat(json).isEqualTo(want.append(']').toString());
        }
    }

    @Test
    void resynthWritesPcmOrFloatAtTheOutputRate() throws IOException {
        Path pcm = dir.resolve("out.wav"), flt = dir.resolve("out-f.wav");
        assertThat(run("resynth", "--model", model, input.toString(), pcm.toString()).exit()).isZero();
        assertThat(run("resynth", "--model", model, "--float", input.toString(), flt.toString()).exit()).isZero();
        Audio a = AudioFiles.read(pcm), b = AudioFiles.read(flt);
        assertThat(a.sampleRate()).isEqualTo(24000);
        assertThat(a.samples()).hasSize(84480);
        assertThat(b.samples()).hasSize(84480);
        assertThat(Files.readAllBytes(flt)[20]).isEqualTo((byte) 3); // WAVE_FORMAT_IEEE_FLOAT
    }

    @Test
    void encodeDecodeRoundTripAndStream() throws IOException {
        Path parla = dir.resolve("x.parla"), dec = dir.resolve("d.wav"), str = dir.resolve("s.wav");
        assertThat(run("encode", "--model", model, input.toString(), parla.toString()).exit()).isZero();
        // 176 tokens x 11 bits = 242 bytes of payload; the rest is the header and packet framing
        assertThat(Files.size(parla)).isBetween(242L, 242L + 120);
        assertThat(run("decode", "--model", model, parla.toString(), dec.toString()).exit()).isZero();
        Result s = run("stream", "--model", model, input.toString(), str.toString());
        assertThat(s.exit()).isZero();
        assertThat(s.out()).contains("p50").contains("p99").contains("x real time").contains("algorithmic latency  80 ms");
        float[] a = AudioFiles.read(dec).samples(), b = AudioFiles.read(str).samples();
        assertThat(a).containsExactly(b); // whole chunks: the file path and the live path are the same computation
    }

    @Test
    void decodeRefusesAStreamFromAnotherModel() {
        Path parla = dir.resolve("x.parla");
        assertThat(run("encode", "--model", model, input.toString(), parla.toString()).exit()).isZero();
        Result r = run("decode", "--model", golden("tiny_noncausal_50hz").toString(), parla.toString(), dir.resolve("o.wav").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("encoded with model 'tiny_causal_50hz_2k'").contains("tiny_noncausal_50hz");
    }

    @Test
    void infoSummarisesTheModel() {
        Result r = run("info", "--model", model);
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("2048 codes (11 bits)").contains("550 bit/s").contains("out 24000 Hz")
                .contains("80 ms").contains("700,129");
    }

    @Test
    void int8CheckpointGivesTheTokensOfInt8ComputeAndRefusesToRequantise() throws IOException {
        Path q = dir.resolve("int8");
        assertThat(run("quantize", "--model", model, "--to", "int8", q.toString()).exit()).isZero();
        assertThat(Files.size(q.resolve("model.safetensors")))
                .isLessThan(Files.size(Path.of(model, "model.safetensors")) / 2);
        Result mapped = run("tokens", "--model", q.toString(), input.toString());
        Result converted = run("tokens", "--model", model, "--weights", "int8", input.toString());
        assertThat(mapped.exit()).isZero();
        assertThat(mapped.out()).isEqualTo(converted.out());
        assertThat(run("info", "--model", q.toString()).out()).contains("I8");
        assertOneLineError(run("quantize", "--model", q.toString(), "--to", "bf16", dir.resolve("x").toString()),
                "is an int8 checkpoint");
    }

    private void assertOneLineError(Result r, String... fragments) {
        assertThat(r.exit()).isNotZero();
        assertThat(r.err().trim()).startsWith("parla: ").doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().trim().lines().count()).isEqualTo(1);
        for (String f : fragments) assertThat(r.err()).contains(f);
    }

    @Test
    void badInputGivesOneLineErrors() throws IOException {
        Path missing = dir.resolve("missing.wav");
        assertOneLineError(run("tokens", "--model", model, missing.toString()), missing.toString());

        Path text = dir.resolve("notes.wav");
        Files.writeString(text, "hello, this is not audio");
        assertOneLineError(run("tokens", "--model", model, text.toString()), text.toString(), "not a WAV or FLAC");

        byte[] wav = Files.readAllBytes(input);
        Path truncated = dir.resolve("truncated.wav");
        Files.write(truncated, java.util.Arrays.copyOf(wav, 1000));
        assertOneLineError(run("tokens", "--model", model, truncated.toString()), truncated.toString(), "truncated");

        Path empty = dir.resolve("empty.wav");
        WavWriter.writeFloat32(empty, new Audio(new float[0], 16000));
        assertOneLineError(run("tokens", "--model", model, empty.toString()), empty.toString());

        Path nan = dir.resolve("nan.wav");
        byte[] f = Files.readAllBytes(floatWav(dir.resolve("f.wav")));
        f[f.length - 2] = (byte) 0xc0; f[f.length - 1] = (byte) 0x7f; // last sample = NaN
        Files.write(nan, f);
        assertOneLineError(run("tokens", "--model", model, nan.toString()), nan.toString());

        assertOneLineError(run("info", "--model", dir.toString()), "config.json");

        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        Files.copy(golden("tiny_causal_50hz_2k").resolve("config.json"), corrupt.resolve("config.json"));
        byte[] st = Files.readAllBytes(golden("tiny_causal_50hz_2k").resolve("model.safetensors"));
        st[0] = (byte) 0xff; st[3] = (byte) 0x7f;
        Files.write(corrupt.resolve("model.safetensors"), st);
        assertOneLineError(run("info", "--model", corrupt.toString()), "model.safetensors", "header length");
    }

    private static Path floatWav(Path p) throws IOException {
        WavWriter.writeFloat32(p, new Audio(new float[] {0.1f, 0.2f, 0.3f, 0.4f}, 16000));
        return p;
    }
}
