package io.parla.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code parla}: the command line. Errors are reported as one line ({@code parla: <file>: <problem>}) and a
 * non-zero exit; {@code PARLA_DEBUG=1} adds the stack trace.
 */
@Command(name = "parla", mixinStandardHelpOptions = true, version = "parla 0.1.0",
        description = "Streaming neural speech codecs (FocalCodec, FocalCodec-Stream, SecoustiCodec) on the JVM.",
        subcommands = {InfoCommand.class, TokensCommand.class, ResynthCommand.class, EncodeCommand.class, DecodeCommand.class,
                StreamCommand.class, LiveCommand.class, QuantizeCommand.class, RandomModelCommand.class,
                EvalCommand.class, CompareCommand.class, BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class ParlaCli {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new ParlaCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            cmd.getErr().println("parla: " + msg);
            if (System.getenv("PARLA_DEBUG") != null) ex.printStackTrace(cmd.getErr());
            return 1;
        });
        return cl.execute(args);
    }
}
