package dev.tessera.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code examples/run}: one subcommand per example. */
@Command(name = "examples/run", mixinStandardHelpOptions = true,
        description = "Runs a Tessera example.",
        subcommands = {ClevrFilm.class, FashionMnistCnn.class, LenetMnist.class, ResnetCifar.class, Dcgan.class, Captioning.class, RegressionDemo.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Main()).setExecutionExceptionHandler(Main::report).execute(args));
    }

    /** Bad arguments and missing files end the run with their message alone; anything else with its stack trace. */
    private static int report(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) throws Exception {
        if (e instanceof IllegalArgumentException || e instanceof java.io.IOException) {
            cmd.getErr().println(cmd.getCommandName() + ": " + e.getMessage());
            return 2;
        }
        throw e;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
