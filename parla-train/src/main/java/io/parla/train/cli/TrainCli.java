package io.parla.train.cli;

import ai.djl.ndarray.NDManager;
import io.parla.core.tensor.DType;
import io.parla.train.Recipe;
import io.parla.train.Trainer;
import io.parla.train.model.CodecConfig;
import io.parla.train.model.ParamStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code parla-train <stage> --recipe recipes/x.json --run-dir /path/run [--set key=value ...]}. */
@Command(name = "parla-train", mixinStandardHelpOptions = true, version = "parla-train 0.1",
        description = "Train FocalCodec / FocalCodec-Stream models (DJL + PyTorch). Every run resumes from <run-dir>/checkpoint.",
        subcommands = {TrainCli.Export.class, TrainCli.Average.class, TrainCli.Eval.class, ChainTable.class})
public final class TrainCli {

    /** The training stages, each a sub-command taking the same options. */
    static final Map<String, String> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("codec", "End-to-end codec training on waveform reconstruction (default model recipe).");
        STAGES.put("decoder", "FocalCodec stage 1 / Stream stage 1: decoder from continuous encoder features.");
        STAGES.put("quantizer", "FocalCodec stage 2 / Stream stage 4: compressor + BSQ + decompressor on features.");
        STAGES.put("posemb", "Stream stage 2: distil the causal positional embedding from a full-context teacher.");
        STAGES.put("encoder", "Stream stage 3: distil a causal encoder (per-layer L2).");
        STAGES.put("joint", "Stream stage 5: joint fine-tuning of encoder, compressor, decompressor and refiner.");
        STAGES.put("teacher", "Encoder alone, trained so its frame features linearly give the log-mel frame and log-F0 / voicing.");
    }

    /** --recipe and --set, shared by the stage commands and evaluate. */
    static final class RecipeOptions {
        @Option(names = "--recipe", required = true, description = "recipe JSON (see recipes/)")
        Path recipe;
        @Option(names = "--set", description = "override a recipe value, e.g. --set optim.lr=3e-4 (repeatable)")
        List<String> overrides = new ArrayList<>();

        Recipe load() throws java.io.IOException {
            Recipe r = Recipe.read(recipe);
            for (String o : overrides) r.override(o);
            return r;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class StageCommand implements Callable<Integer> {
        @Mixin
        RecipeOptions ro;
        @Option(names = "--run-dir", required = true, description = "output / resume directory (keep it outside the repository)")
        Path runDir;
        private final String stage;

        StageCommand(String stage) { this.stage = stage; }

        public Integer call() throws Exception {
            Recipe r = ro.load();
            String s = r.str("stage", stage);
            if (!s.equals(stage))
                throw new CommandLine.ParameterException(new CommandLine(this), "recipe " + ro.recipe + " is for stage '" + s
                        + "', not '" + stage + "'");
            r.override("stage=\"" + stage + "\"");
            Trainer.Result res = new Trainer(r, runDir, System.out).run();
            System.out.printf("done: step %d, loss %.4f -> %.4f, validation %s, export %s%n", res.step(), res.firstLoss(),
                    res.lastLoss(), res.lastVal(), res.exportDir());
            return 0;
        }
    }

    @Command(name = "export", description = "Write a checkpoint as an official-layout model directory (config.json + model.safetensors).")
    static final class Export implements Callable<Integer> {
        @Option(names = "--run-dir", required = true)
        Path runDir;
        @Option(names = "--out", required = true)
        Path out;
        @Option(names = "--dtype", defaultValue = "F32", description = "F32, BF16 or F16")
        DType dtype;

        public Integer call() throws Exception {
            Path ck = runDir.resolve("checkpoint");
            CodecConfig cfg = CodecConfig.read(ck.resolve("config.json"));
            try (NDManager m = NDManager.newBaseManager()) {
                ParamStore.exportModel(out, cfg, ParamStore.readFor(m, cfg, ck.resolve("params.safetensors")), dtype);
            }
            System.out.println("exported " + out);
            return 0;
        }
    }

    @Command(name = "average", description = "Write the element-wise mean of several exported snapshots of one run "
            + "(same config.json and tensors) as a new model directory: checkpoint averaging.")
    static final class Average implements Callable<Integer> {
        @Option(names = "--out", required = true, description = "output model directory")
        Path out;
        @CommandLine.Parameters(arity = "2..*", paramLabel = "SNAPSHOT_DIR", description = "model directories (config.json + model.safetensors)")
        List<Path> snapshots;
        @Option(names = "--dtype", description = "store the means as F32, F16 or BF16 (default: the snapshots' type)")
        io.parla.core.tensor.DType dtype;

        public Integer call() throws Exception {
            io.parla.train.WeightAveraging.average(snapshots, out, dtype);
            System.out.println("averaged " + snapshots.size() + " snapshots into " + out);
            return 0;
        }
    }

    @Command(name = "evaluate", description = "STOI / mel distance / SI-SDR of an exported model on the recipe's held-out speakers.")
    static final class Eval implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "directory with config.json + model.safetensors")
        Path model;
        @Mixin
        RecipeOptions ro;
        @Option(names = "--max-seconds", defaultValue = "10", description = "cap per utterance") double maxSeconds;
        @Option(names = "--max-files", defaultValue = "0", description = "0 = all held-out files") int maxFiles;
        @Option(names = "--samples", description = "write a few reference/resynthesised WAV pairs here") Path samples;

        public Integer call() throws Exception {
            Recipe r = ro.load();
            System.out.println("summary " + io.parla.train.Evaluate.run(r, model, maxSeconds, maxFiles, samples, System.out));
            return 0;
        }
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }

    /** The command line with one sub-command per stage plus {@code export}. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new TrainCli());
        for (var e : STAGES.entrySet()) {
            CommandLine sub = new CommandLine(new StageCommand(e.getKey()));
            sub.getCommandSpec().usageMessage().description(e.getValue());
            cl.addSubcommand(e.getKey(), sub);
        }
        return cl;
    }
}
