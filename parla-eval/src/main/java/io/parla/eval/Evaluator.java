package io.parla.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one codec over a list of files, scores every file with {@link QualityMetrics} and writes the
 * {@link EvalReport}. One bad file never stops the run: a file whose reading, coding or scoring fails is
 * recorded as a {@link FileFailure} with the reason, and the rest go on.
 *
 * <p>Audio comes from the {@link AudioReader} passed in (the CLI gives it the core's WAV reader), so this
 * class sees only samples and rates. Instances are immutable; the {@code with...} methods return
 * copies.
 */
public final class Evaluator {
    /** Default number of files per run shown as spectrograms and audio in the report. */
    public static final int DEFAULT_EXAMPLES = 3;

    /** Mono samples in [-1, 1] and their rate, as the reader delivers them. */
    public record Signal(float[] samples, int rate) {
    }

    /** Loads one input file; any exception marks that file as unreadable. */
    @FunctionalInterface
    public interface AudioReader {
        Signal read(Path file) throws Exception;
    }

    /**
     * Progress of a run, for a progress bar. {@link #finished} is called once per file, after it was scored
     * or failed ({@code error} null on success); {@link #started} before a file is read.
     */
    @FunctionalInterface
    public interface Progress {
        void finished(int completed, int total, Path file, String error);

        default void started(int index, int total, Path file) {
        }

        Progress NONE = (completed, total, file, error) -> { };
    }

    /** Outcome of {@link #run}: this run's results and failures, and the report with all codecs so far. */
    public record EvalRun(String codec, List<FileResult> results, List<FileFailure> failures, EvalReport.Report report) {
        /** The report's summary table over every codec in the report directory. */
        public String summary() {
            return report.summary();
        }
    }

    private final AudioReader reader;
    private final int examples;
    private final boolean compensateDelay;

    public Evaluator(AudioReader reader) {
        this(reader, DEFAULT_EXAMPLES, true);
    }

    private Evaluator(AudioReader reader, int examples, boolean compensateDelay) {
        if (reader == null) throw new IllegalArgumentException("an audio reader is required");
        if (examples < 0) throw new IllegalArgumentException("negative number of examples");
        this.reader = reader;
        this.examples = examples;
        this.compensateDelay = compensateDelay;
    }

    /** How many of the run's first successfully scored files get spectrograms and audio in the report. */
    public Evaluator withExamples(int n) {
        return new Evaluator(reader, n, compensateDelay);
    }

    /** Whether to remove the codec delay before scoring (default on). */
    public Evaluator withDelayCompensation(boolean on) {
        return new Evaluator(reader, examples, on);
    }

    /**
     * Evaluates {@code codec} (reported as {@code codecName}) on {@code files} and writes or updates the
     * report in {@code reportDir}. Throws {@link IllegalArgumentException} for an empty file list or a blank
     * codec name, and {@link IOException} only when the report itself cannot be written. If the thread is
     * interrupted, the remaining files are recorded as not evaluated, the report is still written and the
     * interrupt flag is kept.
     */
    public EvalRun run(String codecName, Codec codec, List<Path> files, Path reportDir, Progress progress)
            throws IOException {
        if (codecName == null || codecName.isBlank()) throw new IllegalArgumentException("a codec name is required");
        if (codec == null) throw new IllegalArgumentException("a codec is required");
        if (files == null || files.isEmpty()) throw new IllegalArgumentException("no input files to evaluate");
        Progress p = progress == null ? Progress.NONE : progress;
        List<FileResult> results = new ArrayList<>();
        List<FileFailure> failures = new ArrayList<>();
        List<EvalReport.Example> shown = new ArrayList<>();
        int total = files.size();
        for (int i = 0; i < total; i++) {
            Path file = files.get(i);
            String name = file.toString();
            if (Thread.currentThread().isInterrupted()) {
                failures.add(new FileFailure(name, codecName, "codec", "not evaluated: the run was interrupted"));
                p.finished(i + 1, total, file, "interrupted");
                continue;
            }
            p.started(i, total, file);
            String error = evaluateOne(codecName, codec, file, results, failures, shown);
            p.finished(i + 1, total, file, error);
        }
        EvalReport.Report report = EvalReport.write(reportDir, results, failures, shown);
        return new EvalRun(codecName, List.copyOf(results), List.copyOf(failures), report);
    }

    /** Scores one file into {@code results} or records its failure; returns the error text or null. */
    private String evaluateOne(String codecName, Codec codec, Path file, List<FileResult> results,
                               List<FileFailure> failures, List<EvalReport.Example> shown) {
        String name = file.toString();
        String stage = "read";
        try {
            Signal in = reader.read(file);
            if (in == null || in.samples() == null) throw new IllegalArgumentException("the reader returned no audio");
            if (in.rate() <= 0) throw new IllegalArgumentException("invalid sample rate " + in.rate());
            if (in.samples().length == 0) throw new IllegalArgumentException("the file holds no samples");
            stage = "codec";
            DecodedSignal out = codec.run(in.samples(), in.rate());
            if (out == null) throw new IllegalStateException("the codec returned no output");
            stage = "metrics";
            QualityMetrics.Comparison cmp = QualityMetrics.compare(in.samples(), in.rate(), out.samples(), out.rate(), compensateDelay);
            results.add(FileResult.of(name, codecName, out.bitsPerSecond(), cmp.scores()));
            if (shown.size() < examples) {
                shown.add(new EvalReport.Example(codecName, name, cmp.alignment().reference(), cmp.alignment().decoded(), in.rate()));
            }
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(failures, name, codecName, stage, "interrupted");
        } catch (Exception | OutOfMemoryError | StackOverflowError e) {
            return fail(failures, name, codecName, stage, describe(e));
        }
    }

    private static String fail(List<FileFailure> failures, String file, String codec, String stage, String reason) {
        failures.add(new FileFailure(file, codec, stage, reason));
        return stage + ": " + reason;
    }

    /** The exception's message (or its type), followed by those of its causes that add something. */
    static String describe(Throwable e) {
        List<String> parts = new ArrayList<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            String msg = t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
            if (t instanceof java.nio.file.NoSuchFileException) msg = "file not found: " + msg;
            String m = msg;
            if (parts.stream().noneMatch(x -> x.contains(m))) parts.add(m);
        }
        return String.join("; caused by: ", parts);
    }
}
