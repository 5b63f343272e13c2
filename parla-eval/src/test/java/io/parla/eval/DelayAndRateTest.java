package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayAndRateTest {
    /** The first 4 s of a speech clip. */
    private static final TestWavs.Wav CLIP = new TestWavs.Wav(
            Arrays.copyOf(TestWavs.resource("golden/clip1_ref.wav").samples(), 64000), 16000);

    /** {@code x} delayed by {@code n} samples (zeros in front), same length. */
    private static float[] delayed(float[] x, int n) {
        float[] y = new float[x.length];
        System.arraycopy(x, 0, y, n, x.length - n);
        return y;
    }

    @Test
    void twentyFiveMsLateOutputKeepsItsStoiAfterCompensation() {
        float[] ref = CLIP.samples();
        int rate = CLIP.rate();
        float[] late = delayed(ref, rate / 40); // 25 ms
        MetricScores with = QualityMetrics.compare(ref, rate, late, rate, true).scores();
        MetricScores without = QualityMetrics.compare(ref, rate, late, rate, false).scores();
        System.out.printf("25 ms late: STOI %.4f with compensation (delay %.2f ms), %.4f without%n",
                with.stoi(), with.delayMs(), without.stoi());
        assertThat(with.delayMs()).isEqualTo(25.0);
        assertThat(with.stoi()).isGreaterThan(0.999);
        assertThat(with.siSdrDb()).isGreaterThan(60);
        assertThat(without.stoi()).isLessThan(0.8);
    }

    @Test
    void earlyAndLongerOutputIsAlignedToo() {
        float[] ref = CLIP.samples();
        // decoded starts 10 ms early (its first 160 samples are missing) and has 300 samples of tail
        float[] dec = new float[ref.length - 160 + 300];
        System.arraycopy(ref, 160, dec, 0, ref.length - 160);
        DelayCompensation.Alignment a = DelayCompensation.align(ref, dec, 16000);
        assertThat(a.lagSamples()).isEqualTo(-160);
        assertThat(a.delayMs()).isEqualTo(-10.0);
        assertThat(a.length()).isEqualTo(ref.length - 160);
        assertThat(a.decoded()).containsExactly(a.reference());
    }

    @Test
    void lagBeyondSearchRangeIsNotFound() {
        float[] ref = CLIP.samples();
        float[] late = delayed(ref, 16000 * 3 / 10); // 300 ms, outside ±250 ms
        assertThat(Math.abs(DelayCompensation.align(ref, late, 16000).lagSamples())).isNotEqualTo(4800);
        assertThat(DelayCompensation.estimateLag(ref, late, 5000)).isEqualTo(4800);
    }

    @Test
    void noCompensationCutsToTheShorterLength() {
        float[] ref = CLIP.samples();
        DelayCompensation.Alignment a = DelayCompensation.shift(ref, Arrays.copyOf(ref, 1000), 16000, 0);
        assertThat(a.length()).isEqualTo(1000);
        assertThat(a.lagSamples()).isZero();
    }

    @Test
    void decodedAt24kIsResampledToTheReferenceRate() {
        float[] ref = CLIP.samples();
        float[] at24k = Resampling.resample(ref, 16000, 24000);
        assertThat(at24k.length).isEqualTo(ref.length * 3 / 2);
        MetricScores s = QualityMetrics.score(ref, 16000, at24k, 24000);
        System.out.printf("24 kHz round trip: STOI %.5f ESTOI %.5f SI-SDR %.1f dB mel %.4f delay %.2f ms%n",
                s.stoi(), s.estoi(), s.siSdrDb(), s.melDistance(), s.delayMs());
        assertThat(s.delayMs()).isZero();
        assertThat(List.of(s.stoi(), s.estoi())).allSatisfy(v -> assertThat(v).isGreaterThan(0.999));
        assertThat(s.siSdrDb()).as("SI-SDR after 16 -> 24 -> 16 kHz").isGreaterThan(30);
        assertThat(s.melDistance()).as("mel distance after 16 -> 24 -> 16 kHz").isLessThan(0.05);
    }

    @Test
    void tooLittleSpeechIsAClearError() {
        float[] shortClip = Arrays.copyOf(CLIP.samples(), 3000);
        assertThatThrownBy(() -> Stoi.compute(shortClip, shortClip, 16000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 30 frames");
        assertThatThrownBy(() -> Stoi.compute(shortClip, new float[10], 16000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("equal length");
    }

    @Test
    void bitrateHelper() {
        assertThat(Bitrate.bitsPerSecond(6000, 2.0)).isEqualTo(3000.0);
        assertThat(Bitrate.bitsPerSecond(1400, 16000, 16000)).isEqualTo(1400.0);
        assertThat(Bitrate.format(700)).isEqualTo("700 bit/s");
        assertThat(Bitrate.format(6000)).isEqualTo("6.0 kbit/s");
        assertThatThrownBy(() -> Bitrate.bitsPerSecond(1, 0.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void phaseIncoherentOutputIsAlignedByItsEnvelope() {
        // what a neural vocoder without phase losses does: the reference's envelope carried by unrelated noise,
        // here 25 ms late; the waveform correlation has no true peak, the envelope correlation does
        float[] ref = CLIP.samples();
        java.util.Random r = new java.util.Random(3);
        float[] env = new float[ref.length];
        double acc = 0;
        for (int i = 0; i < ref.length; i++) {
            acc += Math.abs(ref[i]) - (i >= 80 ? Math.abs(ref[i - 80]) : 0);
            if (i >= 40) env[i - 40] = (float) (acc / 80); // centred, so the envelope itself is not delayed
        }
        float[] carrier = new float[ref.length];
        for (int i = 0; i < ref.length; i++) carrier[i] = env[i] * (float) r.nextGaussian();
        int lag = DelayCompensation.estimateLag(ref, delayed(carrier, 400), 4000);
        assertThat(Math.abs(lag - 400)).as("lag %d", lag).isLessThanOrEqualTo(32);
    }
}
