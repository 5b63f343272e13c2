package io.parla.cli;

import io.parla.core.audio.Audio;
import io.parla.core.audio.AudioFiles;
import io.parla.core.audio.Resampler;
import io.parla.eval.Codec;
import io.parla.eval.DecodedSignal;
import io.parla.eval.Evaluator;
import io.parla.eval.ExternalCodec;
import io.parla.eval.FileFailure;
import io.parla.focalcodec.FocalCodec;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "eval", mixinStandardHelpOptions = true, description = {
        "Score a Parla model or a reference codec on speech files (STOI, ESTOI, SI-SDR, mel distance, F0 match, gross pitch error) and write a report.",
        "Causal models run through the live streaming sessions, so the scores are what a live listener hears.",
        "Reports accumulate: run once per codec with the same --out to compare them."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelOption model = new ModelOption();

    @Option(names = "--codec", paramLabel = "NAME",
            description = "A reference codec instead of a model: codec2:700C|1200|3200|..., opus:<kbit/s> (e.g. opus:6).")
    String codec;

    @Option(names = "--out", paramLabel = "REPORT_DIR", defaultValue = "eval-report",
            description = "Report folder (index.html, results.csv, results.json); default ${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Evaluate only the first N files (sorted).")
    Integer limit;

    @Option(names = "--examples", paramLabel = "N", defaultValue = "3",
            description = "Files shown as spectrograms and audio in the report (default ${DEFAULT-VALUE}).")
    int examples;

    @Option(names = "--name", paramLabel = "LABEL", description = "Name of this codec in the report (default parla:<model dir>[+bf16] or the codec spec).")
    String name;

    @Option(names = "--no-progress", description = "No progress bar on stderr.")
    boolean noProgress;

    @Parameters(arity = "1..*", paramLabel = "REF_DIR_OR_FILES",
            description = "WAV/FLAC files, folders (searched recursively) or manifests (one path per line, first column).")
    List<Path> inputs;

    @Override
    public Integer call() throws Exception {
        if (codec != null && model.model != null) throw new IllegalArgumentException("give either --model or --codec, not both");
        if (limit != null && limit < 1) throw new IllegalArgumentException("--limit must be at least 1");
        if (examples < 0) throw new IllegalArgumentException("--examples must not be negative");
        InputFiles.Collected collected = InputFiles.collect(inputs);
        for (Path e : collected.emptyFolders()) System.err.println("parla eval: warning: no WAV or FLAC files in " + e);
        List<Path> files = limit == null || limit >= collected.files().size() ? collected.files() : collected.files().subList(0, limit);
        Evaluator evaluator = new Evaluator(EvalCommand::read).withExamples(examples);
        Evaluator.EvalRun run;
        if (codec != null) {
            ExternalCodec ext = ExternalCodec.parse(codec);
            ext.checkInstalled();
            run = evaluate(evaluator, name != null ? name : ext.name(), ext, files);
        } else {
            try (FocalCodec m = FocalCodec.load(model.resolve(), model.weightType())) {
                String label = name != null ? name : "parla:" + m.modelName() + (model.weightType() == null ? "" : "+" + model.weightType().name().toLowerCase(java.util.Locale.ROOT));
                run = evaluate(evaluator, label, modelCodec(m), files);
            }
        }
        System.out.print(run.summary());
        PrintStream err = System.err;
        if (!run.failures().isEmpty()) {
            err.printf("parla eval: %d of %d file(s) skipped:%n", run.failures().size(), files.size());
            for (FileFailure f : run.failures()) err.printf("  %s (%s): %s%n", f.file(), f.stage(), f.reason());
        }
        err.printf("parla eval: %s: %d file(s) scored; report in %s%n", run.codec(), run.results().size(),
                run.report().index().toAbsolutePath().normalize());
        if (run.results().isEmpty()) {
            err.println("parla eval: no file could be evaluated");
            return 1;
        }
        return 0;
    }

    private Evaluator.EvalRun evaluate(Evaluator evaluator, String label, Codec c, List<Path> files) throws Exception {
        if (noProgress) return evaluator.run(label, c, files, out, Evaluator.Progress.NONE);
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName("eval " + label).setInitialMax(files.size())
                .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 110)).build()) {
            return evaluator.run(label, c, files, out, new Evaluator.Progress() {
                @Override
                public void started(int index, int total, Path file) {
                    bar.setExtraMessage(shorten(file.getFileName().toString()));
                }

                @Override
                public void finished(int completed, int total, Path file, String error) {
                    bar.stepTo(completed);
                }
            });
        }
    }

    private static String shorten(String s) {
        return s.length() <= 28 ? s : "..." + s.substring(s.length() - 25);
    }

    private static Evaluator.Signal read(Path file) {
        Audio a = AudioFiles.read(file);
        return new Evaluator.Signal(a.samples(), a.sampleRate());
    }

    /**
     * The model as an evaluation codec: input resampled to 16 kHz; non-causal models encode and decode
     * offline, causal ones through the streaming sessions (as {@code encode}/{@code decode} and live use do).
     * Bitrate: the model's token payload, {@code token rate x log2(codebook)}.
     */
    static Codec modelCodec(FocalCodec m) {
        return (samples, rate) -> {
            float[] sig = rate == m.sampleRateInput() ? samples : Resampler.resample(samples, rate, m.sampleRateInput());
            int want = (int) ((long) sig.length * m.sampleRateOutput() / m.sampleRateInput());
            float[] y = m.causal() ? FocalCodec.fitLength(Codecs.decode(m, Codecs.encode(m, sig)), want) : m.sigToSig(sig);
            return new DecodedSignal(y, m.sampleRateOutput(), m.config().bitrate());
        };
    }
}
