package dev.tessera.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code examples/run}: one subcommand per example. */
@Command(name = "examples/run", mixinStandardHelpOptions = true,
        description = "Runs a Tessera example.",
        subcommands = {ClevrFilm.class, FashionMnistCnn.class, RegressionDemo.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
