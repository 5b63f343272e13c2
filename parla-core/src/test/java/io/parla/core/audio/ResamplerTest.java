package io.parla.core.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResamplerTest {
    @ParameterizedTest
    @CsvSource({"16000,24000", "24000,16000", "48000,16000", "44100,16000", "22050,16000", "8000,11025",
            "16000,96000", "96000,8000"})
    void outputLengthIsTheRoundedRatio(int from, int to) {
        for (int n : new int[] {0, 1, 2, 3, 7, 441, 1000, 4801}) {
            long expected = Math.round((double) n * to / from);
            assertThat(Resampler.resample(new float[n], from, to)).as("n=%d", n).hasSize((int) expected);
            assertThat(Resampler.outputLength(n, from, to)).isEqualTo(expected);
        }
    }

    /** No group delay: a resampled sine is the same sine sampled at the new rate, phase included. */
    @ParameterizedTest
    @CsvSource({"16000,24000", "48000,16000", "44100,16000", "22050,16000", "8000,44100"})
    void sineKeepsItsPhase(int from, int to) {
        double f = 997;
        float[] x = sine(f, 0.3, from, from / 5);
        float[] y = Resampler.resample(x, from, to);
        double maxError = 0;
        for (int k = y.length / 4; k < 3 * y.length / 4; k++)
            maxError = Math.max(maxError, Math.abs(y[k] - 0.5 * Math.sin(2 * Math.PI * f * k / to + 0.3)));
        assertThat(maxError).isLessThan(1e-4);
    }

    @ParameterizedTest
    @CsvSource({"16000,24000", "48000,16000", "44100,16000", "11025,16000", "16000,16000"})
    void streamingEqualsWholeSignal(int from, int to) {
        Random random = new Random(from + to);
        float[] x = new float[5000];
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian() * 0.3f;
        float[] whole = Resampler.resample(x, from, to);

        Resampler.Stream stream = new Resampler.Stream(from, to);
        List<float[]> pieces = new ArrayList<>();
        for (int off = 0; off < x.length; ) {
            int n = Math.min(x.length - off, random.nextInt(4) == 0 ? random.nextInt(3) : random.nextInt(700));
            pieces.add(stream.push(x, off, n));
            off += n;
        }
        pieces.add(stream.flush());
        float[] streamed = concat(pieces);
        assertThat(streamed).containsExactly(whole);
        assertThat(stream.outputCount()).isEqualTo(whole.length);
    }

    @Test
    void equalRatesCopy() {
        float[] x = {0.1f, -0.2f, 0.3f};
        float[] y = Resampler.resample(x, 16000, 16000);
        assertThat(y).containsExactly(x).isNotSameAs(x);
    }

    @Test
    void rejectsBadRatesAndMisuse() {
        assertThatThrownBy(() -> Resampler.resample(new float[4], 0, 16000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        Resampler.Stream stream = new Resampler.Stream(16000, 24000);
        stream.flush();
        assertThatThrownBy(() -> stream.push(new float[1])).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Sweeps sines through the passband (gain must stay within 0.1 dB up to 0.9 of the lower Nyquist frequency)
     * and, when reducing the rate, through the band that would alias (it must be suppressed by at least 80 dB);
     * when raising the rate, the images of passband tones must be as far down. Prints the measured figures,
     * which docs/resampler.md quotes.
     */
    @ParameterizedTest
    @CsvSource({"16000,24000", "24000,16000", "48000,16000", "44100,16000", "22050,16000", "16000,48000"})
    void passbandFlatAndAliasesSuppressed(int from, int to) {
        double nyquist = Math.min(from, to) / 2.0;
        double worstGainDb = 0;
        double worstImageDb = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= 30; i++) {
            double f = 20 + (0.9 * nyquist - 20) * i / 30;
            float[] y = Resampler.resample(sine(f, 0.0, from, from / 4), from, to);
            Fit fit = Fit.of(y, f, to, margin(from, to));
            worstGainDb = Math.max(worstGainDb, Math.abs(20 * Math.log10(fit.amplitude / 0.5)));
            worstImageDb = Math.min(worstImageDb, -20 * Math.log10(fit.residualRms / (0.5 / Math.sqrt(2))));
        }
        double worstAliasDb = Double.POSITIVE_INFINITY;
        if (to < from) {
            for (int i = 0; i <= 30; i++) {
                double f = nyquist + (0.995 * from / 2 - nyquist) * i / 30;
                float[] y = Resampler.resample(sine(f, 0.0, from, from / 4), from, to);
                double rms = Fit.rms(y, margin(from, to));
                worstAliasDb = Math.min(worstAliasDb, -20 * Math.log10(rms / (0.5 / Math.sqrt(2))));
            }
        }
        System.out.printf("resampler %5d -> %5d: passband (to 0.90 Nyquist) max |gain error| %.5f dB, "
                        + "residual of passband tones %.1f dB, aliasing tones %s%n", from, to, worstGainDb,
                -worstImageDb, to < from ? String.format("%.1f dB", -worstAliasDb) : "n/a (rate raised)");
        assertThat(worstGainDb).isLessThan(0.1);
        assertThat(worstImageDb).isGreaterThan(80);
        assertThat(worstAliasDb).isGreaterThan(80);
    }

    private static int margin(int from, int to) {
        return (int) (PolyphaseFilter.of(from, to).halfTaps * (double) to / from) + 2;
    }

    private static float[] sine(double f, double phase, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (0.5 * Math.sin(2 * Math.PI * f * i / rate + phase));
        return x;
    }

    private static float[] concat(List<float[]> pieces) {
        float[] all = new float[pieces.stream().mapToInt(p -> p.length).sum()];
        int off = 0;
        for (float[] p : pieces) {
            System.arraycopy(p, 0, all, off, p.length);
            off += p.length;
        }
        return all;
    }

    /** Least-squares fit of a sine and cosine at a known frequency, away from the signal's edges. */
    private record Fit(double amplitude, double residualRms) {
        static Fit of(float[] y, double f, int rate, int margin) {
            double ss = 0, cc = 0, sc = 0, ys = 0, yc = 0;
            for (int k = margin; k < y.length - margin; k++) {
                double s = Math.sin(2 * Math.PI * f * k / rate), c = Math.cos(2 * Math.PI * f * k / rate);
                ss += s * s;
                cc += c * c;
                sc += s * c;
                ys += y[k] * s;
                yc += y[k] * c;
            }
            double det = ss * cc - sc * sc;
            double a = (ys * cc - yc * sc) / det, b = (yc * ss - ys * sc) / det;
            double residual = 0;
            int n = 0;
            for (int k = margin; k < y.length - margin; k++, n++) {
                double e = y[k] - a * Math.sin(2 * Math.PI * f * k / rate) - b * Math.cos(2 * Math.PI * f * k / rate);
                residual += e * e;
            }
            return new Fit(Math.hypot(a, b), Math.sqrt(residual / n));
        }

        static double rms(float[] y, int margin) {
            double sum = 0;
            for (int k = margin; k < y.length - margin; k++) sum += (double) y[k] * y[k];
            return Math.sqrt(sum / (y.length - 2 * margin));
        }
    }
}
