package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.parla.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * STOI/ESTOI/SI-SDR/mel distance against the reference values of {@code golden/expected.json} (copied from
 * the shared metric test vectors; see {@code golden/README.md} for the tolerances used here).
 */
class GoldenMetricsTest {
    /** README: at 10 kHz no resampling is involved, agreement to 1e-6. */
    private static final double TOL_10K = 1e-6;
    /** README: another good resampler lands within about 2e-3 of the 16 kHz values. */
    private static final double TOL_16K = 2e-3;
    /** README gives no tolerance for SI-SDR and the mel distance. */
    private static final double TOL_OTHER = 1e-3;

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> expected() throws IOException {
        try (InputStream in = GoldenMetricsTest.class.getResourceAsStream("/golden/expected.json")) {
            return (List<Map<String, Object>>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static float[][] cutToShorter(float[] a, float[] b) {
        int n = Math.min(a.length, b.length);
        return new float[][] {Arrays.copyOf(a, n), Arrays.copyOf(b, n)};
    }

    static double num(Map<String, Object> row, String key) {
        return ((Number) row.get(key)).doubleValue();
    }

    @Test
    void stoiAndEstoiAt10kMatchReferenceTo1e6() throws IOException {
        compareStoi("10k", "ref_10k", "deg_10k", "_10k", TOL_10K);
    }

    @Test
    void stoiAndEstoiAt16kMatchReferenceTo2e3() throws IOException {
        compareStoi("16k", "ref", "deg", "_16k", TOL_16K);
    }

    /** Scores every pair named by the two file columns and checks {@code stoi<suffix>}, {@code estoi<suffix>}. */
    private static void compareStoi(String label, String refColumn, String degColumn, String suffix, double tolerance)
            throws IOException {
        double worst = 0;
        for (Map<String, Object> row : expected()) {
            TestWavs.Wav ref = TestWavs.resource("golden/" + row.get(refColumn));
            TestWavs.Wav deg = TestWavs.resource("golden/" + row.get(degColumn));
            float[][] p = cutToShorter(ref.samples(), deg.samples());
            double stoi = Stoi.compute(p[0], p[1], ref.rate());
            double estoi = Estoi.compute(p[0], p[1], ref.rate());
            double dStoi = stoi - num(row, "stoi" + suffix);
            double dEstoi = estoi - num(row, "estoi" + suffix);
            System.out.printf("%s %-6s %-16s STOI %.9f (diff %+.2e)  ESTOI %.9f (diff %+.2e)%n", label,
                    row.get("ref").toString().substring(0, 5), row.get("condition"), stoi, dStoi, estoi, dEstoi);
            worst = Math.max(worst, Math.max(Math.abs(dStoi), Math.abs(dEstoi)));
            assertThat(stoi).isCloseTo(num(row, "stoi" + suffix), org.assertj.core.data.Offset.offset(tolerance));
            assertThat(estoi).isCloseTo(num(row, "estoi" + suffix), org.assertj.core.data.Offset.offset(tolerance));
        }
        System.out.printf("%s worst |diff| %.2e (tolerance %.0e)%n", label, worst, tolerance);
    }

    @Test
    void siSdrAndMelDistanceMatchReference() throws IOException {
        for (Map<String, Object> row : expected()) {
            TestWavs.Wav ref = TestWavs.resource("golden/" + row.get("ref"));
            TestWavs.Wav deg = TestWavs.resource("golden/" + row.get("deg"));
            float[][] p = cutToShorter(ref.samples(), deg.samples());
            double sdr = SiSdr.compute(p[0], p[1]);
            double mel = MelDistance.compute(p[0], p[1], ref.rate());
            System.out.printf("16k %-6s %-16s SI-SDR %.6f dB (diff %+.2e)  mel %.9f (diff %+.2e)%n",
                    row.get("ref").toString().substring(0, 5), row.get("condition"),
                    sdr, sdr - num(row, "si_sdr_db"), mel, mel - num(row, "mel_distance"));
            assertThat(sdr).isCloseTo(num(row, "si_sdr_db"), org.assertj.core.data.Offset.offset(TOL_OTHER));
            assertThat(mel).isCloseTo(num(row, "mel_distance"), org.assertj.core.data.Offset.offset(TOL_OTHER));
        }
    }
}
