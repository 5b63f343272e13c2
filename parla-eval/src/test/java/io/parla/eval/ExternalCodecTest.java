package io.parla.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

class ExternalCodecTest {
    private static final TestWavs.Wav CLIP = TestWavs.resource("golden/clip1_ref.wav");

    @Test
    void parsesSpecs() {
        assertThat(ExternalCodec.parse("codec2:700c").name()).isEqualTo("codec2:700C");
        assertThat(ExternalCodec.parse("opus:6").name()).isEqualTo("opus:6");
        assertThat(ExternalCodec.parse("opus:12.5").name()).isEqualTo("opus:12.5");
        assertThat(ExternalCodec.parse("codec2:3200").debianPackage()).isEqualTo("codec2");
        assertThat(ExternalCodec.parse("opus:24").debianPackage()).isEqualTo("opus-tools");
        assertThatThrownBy(() -> ExternalCodec.parse("codec2:999")).hasMessageContaining("700C");
        assertThatThrownBy(() -> ExternalCodec.parse("opus:fast")).hasMessageContaining("kbit/s");
        assertThatThrownBy(() -> ExternalCodec.parse("mp3:128")).hasMessageContaining("codec2:<mode>");
    }

    @Test
    void missingProgramNamesTheDebianPackage() {
        assertThatThrownBy(() -> ExternalCodec.codec2("1200").checkInstalled(p -> false))
                .isInstanceOf(ExternalCodecException.class)
                .hasMessageContaining("c2enc").hasMessageContaining("apt-get install codec2");
        assertThatThrownBy(() -> ExternalCodec.opus(6).checkInstalled(p -> !p.equals("opusdec")))
                .isInstanceOf(ExternalCodecException.class)
                .hasMessageContaining("opusdec").hasMessageContaining("'opus-tools'");
        assertThat(ExternalCodec.findOnPath("surely-no-such-program-parla")).isNull();
    }

    @Test
    void codec2RoundTrip() throws Exception {
        ExternalCodec c = ExternalCodec.codec2("700C");
        assumeTrue(c.isInstalled(), "codec2 not installed");
        DecodedSignal d = c.run(CLIP.samples(), CLIP.rate());
        MetricScores s = QualityMetrics.score(CLIP.samples(), CLIP.rate(), d.samples(), d.rate());
        System.out.printf("codec2:700C  %s  %s%n", Bitrate.format(d.bitsPerSecond()), s);
        assertThat(d.rate()).isEqualTo(16000);
        assertThat(d.bitsPerSecond()).isEqualTo(700.0);
        assertThat(Math.abs(d.samples().length - CLIP.samples().length)).isLessThan(16000 / 25);
        assertThat(s.stoi()).isBetween(0.3, 0.8);
    }

    @Test
    void opusRoundTrip() throws Exception {
        ExternalCodec c = ExternalCodec.opus(6);
        assumeTrue(c.isInstalled(), "opus-tools not installed");
        DecodedSignal d = c.run(CLIP.samples(), CLIP.rate());
        MetricScores s = QualityMetrics.score(CLIP.samples(), CLIP.rate(), d.samples(), d.rate());
        System.out.printf("opus:6  %s  %s%n", Bitrate.format(d.bitsPerSecond()), s);
        assertThat(d.rate()).isEqualTo(16000);
        assertThat(d.samples().length).isEqualTo(CLIP.samples().length);
        assertThat(d.bitsPerSecond()).isBetween(4000.0, 8000.0);
        assertThat(s.stoi()).isGreaterThan(0.8);
        assertThat(Math.abs(s.delayMs())).isLessThan(5);
    }

    @Test
    void opusAtAnUnusualRateGoesThrough48k() throws Exception {
        ExternalCodec c = ExternalCodec.opus(16);
        assumeTrue(c.isInstalled(), "opus-tools not installed");
        float[] x = Resampling.resample(java.util.Arrays.copyOf(CLIP.samples(), 32000), 16000, 22050);
        DecodedSignal d = c.run(x, 22050);
        assertThat(d.rate()).isEqualTo(48000);
        MetricScores s = QualityMetrics.score(x, 22050, d.samples(), d.rate());
        assertThat(s.stoi()).isGreaterThan(0.8);
    }

    @Test
    void evaluatorComparesBothFamiliesInOneReport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        ExternalCodec codec2 = ExternalCodec.codec2("1200");
        ExternalCodec opus = ExternalCodec.opus(12);
        assumeTrue(codec2.isInstalled() && opus.isInstalled(), "codec2 or opus-tools not installed");
        String keep = System.getProperty("parla.eval.keepReport");
        java.nio.file.Path dir = keep == null ? tmp : java.nio.file.Path.of(keep);
        Evaluator.AudioReader reader = f -> {
            TestWavs.Wav w = TestWavs.resource(f.toString());
            return new Evaluator.Signal(w.samples(), w.rate());
        };
        java.util.List<java.nio.file.Path> files = java.util.List.of(java.nio.file.Path.of("golden/clip1_ref.wav"));
        Evaluator ev = new Evaluator(reader).withExamples(1);
        ev.run(codec2.name(), codec2, files, dir, null);
        Evaluator.EvalRun run = ev.run(opus.name(), opus, files, dir, null);
        System.out.println(run.summary());
        assertThat(run.report().results()).extracting(FileResult::codec).contains("codec2:1200", "opus:12");
        assertThat(run.summary()).contains("1.2 kbit/s");
    }
}
