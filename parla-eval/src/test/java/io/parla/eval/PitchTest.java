package io.parla.eval;

import static io.parla.eval.TestSignals.noise;
import static io.parla.eval.TestSignals.voiced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PitchTest {
    /** The pitch of the glide from 100 to 250 Hz at the centre of 20 ms frame {@code t} of {@link Pitch#track}. */
    private static double glideHz(int t) {
        return 100 + 150 * (t + 0.5) / Pitch.FRAME_RATE;
    }

    @Test
    void sizesFollowTheRateAndAre16kHzTrainingSizesAt16kHz() {
        assertThat(new int[] {Pitch.minLag(16000), Pitch.maxLag(16000), Pitch.window(16000), Pitch.hop(16000)})
                .containsExactly(40, 320, 640, 320);
        assertThat(new int[] {Pitch.minLag(8000), Pitch.maxLag(8000), Pitch.window(8000), Pitch.hop(8000)})
                .containsExactly(20, 160, 320, 160);
        assertThat(new int[] {Pitch.minLag(44100), Pitch.maxLag(44100), Pitch.window(44100), Pitch.hop(44100)})
                .containsExactly(110, 882, 1764, 882);
        assertThatThrownBy(() -> Pitch.hop(2000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4000");
    }

    @Test
    void harmonicToneGivesItsPeriodAtEveryRate() {
        for (int rate : new int[] {16000, 8000, 44100}) {
            float[] lags = Pitch.track(voiced(150, 150, rate), rate);
            assertThat(lags).hasSize(50);
            // the first and last frames reach past the ends, where the zeros bend the correlation
            for (int t = 1; t < 49; t++) {
                assertThat(lags[t]).as("%d Hz, frame %d", rate, t).isCloseTo(rate / 150f, within(0.5f));
            }
        }
    }

    @Test
    void voicesAtBothEndsOfTheRangeAreTracked() {
        for (int rate : new int[] {16000, 44100}) {
            for (double f0 : new double[] {60, 380}) {
                float[] lags = Pitch.track(voiced(f0, f0, rate), rate);
                for (int t = 2; t < 48; t++) {
                    float period = (float) (rate / f0);
                    assertThat(lags[t]).as("%.0f Hz at %d Hz, frame %d", f0, rate, t).isCloseTo(period, within(0.005f * period));
                }
            }
        }
    }

    @Test
    void glideIsFollowed() {
        for (int rate : new int[] {16000, 8000}) {
            float[] lags = Pitch.track(voiced(100, 250, rate), rate);
            for (int t : new int[] {5, 25, 40}) {
                assertThat(lags[t]).as("%d Hz, frame %d", rate, t)
                        .isCloseTo((float) (rate / glideHz(t)), within(1.5f * rate / 16000));
            }
            // falling too: the tracker has no memory that would lag behind
            float[] down = Pitch.track(voiced(250, 100, rate), rate);
            assertThat(down[5]).isCloseTo((float) (rate / glideHz(49 - 5)), within(1.5f * rate / 16000));
        }
    }

    @Test
    void noiseAndSilenceAreUnvoiced() {
        for (int rate : new int[] {16000, 8000}) {
            assertThat(Pitch.track(noise(1, rate), rate)).as("noise at %d Hz", rate).containsOnly(0f);
            assertThat(Pitch.track(new float[rate], rate)).as("silence at %d Hz", rate).containsOnly(0f);
        }
        // a quiet tail 40 dB under a voiced part is not scored, however periodic
        float[] x = voiced(150, 150, 16000);
        for (int i = 8000; i < x.length; i++) x[i] *= 0.01f;
        float[] lags = Pitch.track(x, 16000);
        assertThat(lags[10]).isPositive();
        assertThat(Arrays.copyOfRange(lags, 27, 50)).containsOnly(0f);
    }

    @Test
    void f0MatchAndGrossPitchError() {
        float[] ref = voiced(150, 150, 16000);
        Pitch.Accuracy self = Pitch.compare(ref, ref, 16000);
        assertThat(self.referenceVoiced()).isGreaterThan(45);
        assertThat(self.f0Match()).isEqualTo(1.0);
        assertThat(self.gpe()).isZero();

        // 112 cents sharp: plainly another note, but within the 20 % that GPE tolerates
        double sharpHz = 150 * Math.pow(2, 112 / 1200.0), flatHz = 150 / Math.pow(2, 30 / 1200.0);
        Pitch.Accuracy sharp = Pitch.compare(ref, voiced(sharpHz, sharpHz, 16000), 16000);
        assertThat(sharp.bothVoiced()).isEqualTo(sharp.referenceVoiced());
        assertThat(sharp.f0Match()).isZero();
        assertThat(sharp.gpe()).isZero();

        // a fifth up (x 1.5) is a gross error in every frame
        Pitch.Accuracy fifth = Pitch.compare(ref, voiced(225, 225, 16000), 16000);
        assertThat(fifth.f0Match()).isZero();
        assertThat(fifth.gpe()).isEqualTo(1.0);

        // 30 cents flat still matches
        assertThat(Pitch.compare(ref, voiced(flatHz, flatHz, 16000), 16000).f0Match()).isEqualTo(1.0);

        // at 8 kHz as well
        float[] ref8 = voiced(150, 150, 8000);
        assertThat(Pitch.compare(ref8, ref8, 8000).f0Match()).isEqualTo(1.0);
        assertThat(Pitch.compare(ref8, voiced(225, 225, 8000), 8000).gpe()).isEqualTo(1.0);
    }

    @Test
    void undefinedScoresAreNaN() {
        float[] ref = voiced(150, 150, 16000);
        Pitch.Accuracy unvoicedOutput = Pitch.compare(ref, noise(2, ref.length), 16000);
        assertThat(unvoicedOutput.f0Match()).isZero();
        assertThat(unvoicedOutput.gpe()).isNaN();
        Pitch.Accuracy silentReference = Pitch.compare(new float[16000], ref, 16000);
        assertThat(silentReference.f0Match()).isNaN();
        assertThat(silentReference.gpe()).isNaN();
    }

    @Test
    void qualityMetricsScoreThePitchOfTheAlignedSignalsAtTheReferenceRate() {
        float[] clip = Arrays.copyOf(TestWavs.resource("golden/clip1_ref.wav").samples(), 64000);
        MetricScores same = QualityMetrics.compare(clip, 16000, clip, 16000, false).scores();
        assertThat(same.f0Match()).isEqualTo(1.0);
        assertThat(same.gpe()).isZero();

        float[] tone = voiced(150, 150, 16000);
        // 24 kHz output is tracked after resampling to 16 kHz: periods in 16 kHz samples, so still a match
        MetricScores at24k = QualityMetrics.score(tone, 16000, voiced(150, 150, 24000), 24000);
        assertThat(at24k.f0Match()).isGreaterThan(0.95);
        MetricScores fifth = QualityMetrics.compare(tone, 16000, voiced(225, 225, 16000), 16000, false).scores();
        assertThat(fifth.f0Match()).isZero();
        assertThat(fifth.gpe()).isEqualTo(1.0);
    }
}
