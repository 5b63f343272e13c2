package io.parla.eval;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Reference codecs run through Debian's command-line programs, for comparison with Parla's neural codecs.
 *
 * <ul>
 *   <li>{@code codec2:<mode>} ({@code 3200, 2400, 1600, 1400, 1300, 1200, 700C, 450, 450PWB}): the input is
 *       resampled to 8 kHz, written as raw 16-bit little-endian PCM, encoded with {@code c2enc} and decoded
 *       with {@code c2dec} (Debian package {@code codec2}); the output is resampled back to the input rate
 *       (450PWB decodes at 16 kHz). The bitrate is the mode's nominal one (for example 700 for 700C): the
 *       encoder pads each frame's bits to whole bytes in its file, which is storage, not codec bitrate.</li>
 *   <li>{@code opus:<kbit/s>} (6 to 256): raw 16-bit PCM at the input rate when Opus takes that rate
 *       natively (8, 12, 16, 24, 48 kHz; otherwise the input is resampled to 16 kHz, or to 48 kHz above
 *       16 kHz), {@code opusenc --bitrate N} (VBR, the default) and {@code opusdec --rate R --float} at the
 *       same rate R (Debian package {@code opus-tools}). The bitrate is measured: the Opus packets'
 *       payload bytes in the Ogg file (header packets and Ogg framing excluded) times 8 over the input's
 *       duration.</li>
 * </ul>
 * Each run works in its own temporary directory, removed afterwards; a program that is missing, fails or
 * runs longer than the timeout (default two minutes) raises an {@link ExternalCodecException} that says
 * what to do.
 */
public final class ExternalCodec implements Codec {
    private static final Map<String, Integer> CODEC2_BITRATES = Map.of(
            "3200", 3200, "2400", 2400, "1600", 1600, "1400", 1400, "1300", 1300,
            "1200", 1200, "700C", 700, "450", 450, "450PWB", 450);
    private static final int CODEC2_RATE = 8000;
    private static final List<Integer> OPUS_RATES = List.of(8000, 12000, 16000, 24000, 48000);

    private final String name;
    private final Kind kind;
    private final String parameter;
    private final Duration timeout;

    private enum Kind { CODEC2, OPUS }

    private ExternalCodec(String name, Kind kind, String parameter, Duration timeout) {
        this.name = name;
        this.kind = kind;
        this.parameter = parameter;
        this.timeout = timeout;
    }

    /** Parses {@code codec2:<mode>} or {@code opus:<kbit/s>} (case-insensitive prefix). */
    public static ExternalCodec parse(String spec) {
        int colon = spec.indexOf(':');
        String family = colon < 0 ? spec : spec.substring(0, colon).toLowerCase(Locale.ROOT);
        String arg = colon < 0 ? "" : spec.substring(colon + 1).trim();
        return switch (family) {
            case "codec2" -> codec2(arg);
            case "opus" -> {
                try {
                    yield opus(Double.parseDouble(arg));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("opus needs a bitrate in kbit/s, e.g. opus:6, got '" + spec + "'");
                }
            }
            default -> throw new IllegalArgumentException("unknown external codec '" + spec
                    + "'; expected codec2:<mode> (modes " + String.join(", ", codec2Modes()) + ") or opus:<kbit/s>");
        };
    }

    /** Codec 2 in one of its modes, e.g. {@code "700C"} or {@code "3200"}. */
    public static ExternalCodec codec2(String mode) {
        String m = mode.toUpperCase(Locale.ROOT);
        if (!CODEC2_BITRATES.containsKey(m)) {
            throw new IllegalArgumentException("unknown codec2 mode '" + mode + "'; modes: " + String.join(", ", codec2Modes()));
        }
        return new ExternalCodec("codec2:" + m, Kind.CODEC2, m, Duration.ofMinutes(2));
    }

    /** Opus at a target bitrate in kbit/s (6 to 256). */
    public static ExternalCodec opus(double kbps) {
        if (!(kbps >= 6 && kbps <= 256)) throw new IllegalArgumentException("opus bitrate must be 6 to 256 kbit/s, got " + kbps);
        String k = kbps == Math.rint(kbps) ? Long.toString((long) kbps) : Double.toString(kbps);
        return new ExternalCodec("opus:" + k, Kind.OPUS, k, Duration.ofMinutes(2));
    }

    /** The same codec with another per-program timeout. */
    public ExternalCodec withTimeout(Duration t) {
        return new ExternalCodec(name, kind, parameter, t);
    }

    /** Canonical name, e.g. {@code codec2:700C} or {@code opus:6}, used in reports. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }

    static List<String> codec2Modes() {
        return CODEC2_BITRATES.keySet().stream().sorted(Comparator.comparing((String s) -> CODEC2_BITRATES.get(s)).reversed()
                .thenComparing(Comparator.naturalOrder())).toList();
    }

    /** The programs this codec runs. */
    public List<String> programs() {
        return kind == Kind.CODEC2 ? List.of("c2enc", "c2dec") : List.of("opusenc", "opusdec");
    }

    /** The Debian package that provides {@link #programs()}. */
    public String debianPackage() {
        return kind == Kind.CODEC2 ? "codec2" : "opus-tools";
    }

    /** True when every program is found on the {@code PATH}. */
    public boolean isInstalled() {
        return programs().stream().allMatch(p -> findOnPath(p) != null);
    }

    /** Throws an {@link ExternalCodecException} naming the Debian package when a program is missing. */
    public void checkInstalled() {
        checkInstalled(p -> findOnPath(p) != null);
    }

    void checkInstalled(java.util.function.Predicate<String> installed) {
        for (String p : programs()) {
            if (!installed.test(p)) {
                throw new ExternalCodecException(p + " was not found on the PATH; " + name + " needs the Debian package '"
                        + debianPackage() + "' (apt-get install " + debianPackage() + ")");
            }
        }
    }

    @Override
    public DecodedSignal run(float[] x, int rate) throws IOException, InterruptedException {
        if (rate <= 0) throw new IllegalArgumentException("sample rate must be positive: " + rate);
        if (x.length == 0) throw new IllegalArgumentException("cannot encode an empty signal");
        checkInstalled();
        Path dir = Files.createTempDirectory("parla-" + kind.name().toLowerCase(Locale.ROOT) + "-");
        try {
            return kind == Kind.CODEC2 ? runCodec2(dir, x, rate) : runOpus(dir, x, rate);
        } finally {
            deleteRecursively(dir);
        }
    }

    private DecodedSignal runCodec2(Path dir, float[] x, int rate) throws IOException, InterruptedException {
        Path in = dir.resolve("in.raw"), bits = dir.resolve("out.bit"), out = dir.resolve("out.raw");
        Files.write(in, Pcm.toS16le(Resampling.resample(x, rate, CODEC2_RATE)));
        exec(dir, "c2enc", parameter, in.toString(), bits.toString());
        exec(dir, "c2dec", parameter, bits.toString(), out.toString());
        int outRate = parameter.equals("450PWB") ? 16000 : CODEC2_RATE;
        float[] decoded = Pcm.fromS16le(Files.readAllBytes(out));
        return new DecodedSignal(Resampling.resample(decoded, outRate, rate), rate, CODEC2_BITRATES.get(parameter));
    }

    private DecodedSignal runOpus(Path dir, float[] x, int rate) throws IOException, InterruptedException {
        int codecRate = OPUS_RATES.contains(rate) ? rate : rate <= 16000 ? 16000 : 48000;
        Path in = dir.resolve("in.raw"), enc = dir.resolve("out.opus"), out = dir.resolve("out.f32");
        Files.write(in, Pcm.toS16le(Resampling.resample(x, rate, codecRate)));
        exec(dir, "opusenc", "--quiet", "--bitrate", parameter, "--raw", "--raw-bits", "16",
                "--raw-rate", Integer.toString(codecRate), "--raw-chan", "1", "--raw-endianness", "0",
                in.toString(), enc.toString());
        exec(dir, "opusdec", "--quiet", "--rate", Integer.toString(codecRate), "--float", enc.toString(), out.toString());
        long payloadBytes = OggOpus.payloadBytes(Files.readAllBytes(enc));
        float[] decoded = Pcm.fromF32le(Files.readAllBytes(out));
        return DecodedSignal.ofTotalBits(decoded, codecRate, payloadBytes * 8, x.length, rate);
    }

    private void exec(Path dir, String... command) throws IOException, InterruptedException {
        Path log = dir.resolve(command[0] + ".log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ExternalCodecException("could not start " + command[0] + " (" + e.getMessage() + "); " + name
                    + " needs the Debian package '" + debianPackage() + "' (apt-get install " + debianPackage() + ")", e);
        }
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new ExternalCodecException(command[0] + " did not finish within " + timeout.toSeconds() + " s");
        }
        if (p.exitValue() != 0) {
            String output = Files.exists(log) ? Files.readString(log).strip() : "";
            if (output.length() > 2000) output = "..." + output.substring(output.length() - 2000);
            throw new ExternalCodecException(String.join(" ", command) + " failed with exit code " + p.exitValue()
                    + (output.isEmpty() ? "" : ": " + output));
        }
    }

    static Path findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) continue;
            Path candidate = Path.of(d, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) Files.deleteIfExists(p);
        }
    }

    /** Raw little-endian PCM conversions. */
    static final class Pcm {
        private Pcm() {
        }

        static byte[] toS16le(float[] x) {
            ByteBuffer b = ByteBuffer.allocate(2 * x.length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : x) b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32768.0))));
            return b.array();
        }

        static float[] fromS16le(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[bytes.length / 2];
            for (int i = 0; i < x.length; i++) x[i] = b.getShort() / 32768f;
            return x;
        }

        static float[] fromF32le(byte[] bytes) {
            ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] x = new float[bytes.length / 4];
            for (int i = 0; i < x.length; i++) x[i] = b.getFloat();
            return x;
        }
    }

    /** Counts audio payload in an Ogg Opus file. */
    static final class OggOpus {
        private OggOpus() {
        }

        /**
         * Sum of the sizes of all packets after the first two (OpusHead and OpusTags) of a single-stream Ogg
         * file, following the pages' lacing values (a packet ends at a lacing value below 255 and may span
         * pages).
         */
        static long payloadBytes(byte[] ogg) {
            long total = 0;
            long packetSize = 0;
            int packets = 0;
            int pos = 0;
            while (pos + 27 <= ogg.length) {
                if (ogg[pos] != 'O' || ogg[pos + 1] != 'g' || ogg[pos + 2] != 'g' || ogg[pos + 3] != 'S') {
                    throw new ExternalCodecException("malformed Ogg page at byte " + pos);
                }
                int segments = ogg[pos + 26] & 0xff;
                int body = pos + 27 + segments;
                if (body > ogg.length) throw new ExternalCodecException("truncated Ogg page at byte " + pos);
                int bodyLen = 0;
                for (int s = 0; s < segments; s++) {
                    int lace = ogg[pos + 27 + s] & 0xff;
                    bodyLen += lace;
                    packetSize += lace;
                    if (lace < 255) {
                        if (packets >= 2) total += packetSize;
                        packets++;
                        packetSize = 0;
                    }
                }
                pos = body + bodyLen;
            }
            return total;
        }
    }
}
