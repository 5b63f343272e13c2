package io.parla.core.kernels;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library that cannot be loaded (missing, or not a library at all) leaves the Java kernels in charge with a
 * message that names the file, and int8 products still compute. Each case runs in its own JVM: the choice is
 * made once, when the kernels class is initialised.
 */
class NativeInt8FallbackTest {
    /** Run in the child JVM: the kernel choice, the reason, and one int8 product against the scalar reference. */
    public static void main(String[] args) {
        Weight w = Weight.quantizeRows(i -> (i % 7) * 0.1 - 0.3, 3, 5, java.lang.foreign.Arena.ofAuto());
        float[] x = {1, -2, 3, 0.5f, 0.25f}, y = new float[3], e = new float[3];
        Kernels.matmul().linear(x, 0, 5, 1, 5, w, null, y, 0, 3, 3);
        new ScalarMatMul().linear(x, 0, 5, 1, 5, w, null, e, 0, 3, 3);
        System.out.println("native=" + Kernels.nativeInt8() + " same=" + java.util.Arrays.equals(y, e)
                + " reason=" + NativeInt8.unavailableReason());
    }

    private static String[] run(Path lib) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Dparla.kernels=scalar", "-Dparla.int8=native",
                "-Dparla.nativeLib=" + lib, "-cp", System.getProperty("java.class.path"), NativeInt8FallbackTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        return new String[] {new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)};
    }

    @Test
    void missingLibraryFallsBackToJavaAndSaysWhy() throws Exception {
        String[] out = run(Path.of("/nonexistent/libparla_int8.so"));
        assertThat(out[0]).contains("native=false", "same=true", "could not be loaded", "/nonexistent/libparla_int8.so");
        assertThat(out[1]).contains("the native int8 kernel was asked for but could not be loaded");
    }

    @Test
    void garbageLibraryFallsBackToJavaAndSaysWhy() throws Exception {
        Path bad = Files.createTempFile("parla-not-a-library", ".so");
        try {
            Files.writeString(bad, "this is not an ELF file");
            String[] out = run(bad);
            assertThat(out[0]).contains("native=false", "same=true", "could not be loaded", bad.getFileName().toString());
        } finally {
            Files.deleteIfExists(bad);
        }
    }
}
