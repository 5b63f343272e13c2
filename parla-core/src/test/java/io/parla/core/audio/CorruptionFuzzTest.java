package io.parla.core.audio;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Feeds thousands of damaged files to the readers: each must either decode to finite samples or fail with an
 * {@link AudioFormatException}; any other exception, an out-of-memory error or a hang is a bug. Seeds are fixed,
 * so a failure names a case that reproduces.
 */
class CorruptionFuzzTest {
    private static final Duration LIMIT = Duration.ofSeconds(60);

    @Test
    void damagedWavFiles() {
        byte[] valid = WavBytes.riff().chunk("LIST", new byte[] {1, 2, 3}).chunk("fmt ", WavBytes.fmt(1, 2, 16000, 16))
                .chunk("data", WavBytes.pcm16(new Random(1).ints(400, -32768, 32768).toArray()))
                .chunk("id3 ", new byte[9]).build();
        byte[] floats = WavBytes.riff().chunk("fmt ", WavBytes.fmtExtensible(1, 8000, 32, 32, 3))
                .chunk("fact", WavBytes.le32(50)).chunk("data", WavBytes.float32(new float[50])).build();
        assertTimeoutPreemptively(LIMIT, () -> {
            fuzz(valid, 2000, 11, bytes -> {
                check(() -> WavReader.read(bytes, "fuzz.wav"));
                check(() -> WavReader.read(new ByteArrayInputStream(bytes), "fuzz.wav"));
            });
            fuzz(floats, 1000, 12, bytes -> check(() -> WavReader.read(bytes, "fuzz.wav")));
        });
    }

    @Test
    void damagedFlacFiles() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (String name : new String[] {"stereo8", "blocksize192", "stereo32-side", "wasted16"}) {
                byte[] valid = TestFiles.bytes("flac/" + name + ".flac");
                fuzz(valid, 700, name.hashCode(), bytes -> check(() -> AudioFiles.read(bytes, "fuzz.flac")));
            }
        });
    }

    /**
     * Random frames behind valid STREAMINFO and valid CRC-8 headers, so that random bits reach the subframe
     * decoder with every block size, channel layout and bit depth (a mere corruption mostly stops at a CRC).
     */
    @Test
    void randomFramesBehindValidHeaders() {
        Random random = new Random(99);
        int[] depths = {0, 8, 12, 0, 16, 20, 24, 32};
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int i = 0; i < 2000; i++) {
                int assignment = random.nextInt(11);
                int sizeCode = random.nextBoolean() ? 0 : 1 + random.nextInt(7);
                int bits = sizeCode == 0 || sizeCode == 3 ? 4 + random.nextInt(29) : depths[sizeCode];
                int channels = assignment < 8 ? assignment + 1 : 2;
                int blockSize = random.nextInt(8) == 0 ? 1 + random.nextInt(65536) : 1 + random.nextInt(300);
                byte[] body = new byte[random.nextInt(random.nextBoolean() ? 40 : 2000)];
                random.nextBytes(body);
                byte[] flac = FlacBits.stream(44100, channels, bits, random.nextInt(3) * blockSize)
                        .frame(i & 0x7F, blockSize, assignment, sizeCode, f -> {
                            for (byte b : body) f.bits(b, 8);
                        }).bytes();
                String label = "case " + i;
                check(() -> FlacReader.read(flac, label));
            }
        });
    }

    private interface Read {
        Audio read();
    }

    private static void check(Read read) {
        try {
            Audio audio = read.read();
            for (float v : audio.samples()) assertThat(Float.isFinite(v)).isTrue();
        } catch (AudioFormatException expected) {
            assertThat(expected.getMessage()).startsWith(expected.file() + ": ");
        }
    }

    /** Applies {@code cases} random damages to {@code valid}, each with its own reproducible seed. */
    private static void fuzz(byte[] valid, int cases, long seed, Consumer<byte[]> target) {
        for (int c = 0; c < cases; c++) {
            Random random = new Random(seed * 1_000_003 + c);
            byte[] damaged = damage(valid, random);
            try {
                target.accept(damaged);
            } catch (Throwable t) {
                throw new AssertionError("case " + c + " of seed " + seed + " failed: " + t, t);
            }
        }
    }

    private static byte[] damage(byte[] valid, Random random) {
        byte[] b = valid.clone();
        int rounds = 1 + random.nextInt(3);
        for (int r = 0; r < rounds && b.length > 0; r++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(6)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> {
                    int end = Math.min(b.length, at + 1 + random.nextInt(8));
                    for (int i = at; i < end; i++) b[i] = (byte) random.nextInt();
                }
                case 2 -> b = Arrays.copyOf(b, at);
                case 3 -> {
                    int[] extremes = {0, -1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1, random.nextInt()};
                    int v = extremes[random.nextInt(extremes.length)];
                    for (int i = 0; i < 4 && at + i < b.length; i++) b[at + i] = (byte) (v >> (8 * i));
                }
                case 4 -> {
                    int len = random.nextInt(Math.min(64, b.length - at) + 1);
                    byte[] grown = new byte[b.length + len];
                    System.arraycopy(b, 0, grown, 0, at + len);
                    System.arraycopy(b, at, grown, at + len, b.length - at);
                    b = grown;
                }
                default -> {
                    int len = random.nextInt(Math.min(64, b.length - at) + 1);
                    byte[] shrunk = new byte[b.length - len];
                    System.arraycopy(b, 0, shrunk, 0, at);
                    System.arraycopy(b, at + len, shrunk, at, b.length - at - len);
                    b = shrunk;
                }
            }
        }
        return b;
    }
}
