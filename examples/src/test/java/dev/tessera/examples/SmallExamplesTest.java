package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** lenet-mnist, resnet-cifar and dcgan each run in a tiny configuration and leave their files. */
class SmallExamplesTest {
    private static void assertFiles(Path dir, String... names) throws IOException {
        for (String f : names) {
            assertTrue(Files.isRegularFile(dir.resolve(f)) && Files.size(dir.resolve(f)) > 0, f);
        }
    }

    @Test
    void lenetTrainsOnATinySliceAndWritesLogCheckpointAndPlot(@TempDir Path out) throws IOException {
        LenetMnist cmd = new LenetMnist();
        assertEquals(0, new CommandLine(cmd).execute("--output", out.toString(), "--limit", "64", "--epochs", "1", "--quiet"));
        assertFiles(out, "training.csv", "lenet5.safetensors", "accuracy.png");
        assertTrue(cmd.testAccuracy >= 0 && cmd.testAccuracy <= 1);
    }

    @Test
    void resnetLearnsTheSyntheticColourClasses(@TempDir Path out) throws IOException {
        ResnetCifar cmd = new ResnetCifar();
        assertEquals(0, new CommandLine(cmd).execute("--output", out.toString(), "--synthetic", "80", "--epochs", "2",
                "--batch-size", "16", "--quiet"));
        assertFiles(out, "training.csv", "resnet18.safetensors", "accuracy.png");
        assertTrue(cmd.testAccuracy > 0.3, "ten colour classes, chance 0.1 — got " + cmd.testAccuracy);
    }

    @Test
    void dcganWritesASampleGridPerEpoch(@TempDir Path out) throws IOException {
        assertEquals(0, new CommandLine(new Dcgan()).execute("--output", out.toString(), "--limit", "64", "--epochs", "2",
                "--batch-size", "32"));
        assertFiles(out, "samples-epoch-01.png", "samples-epoch-02.png", "losses.csv", "losses.png", "generator.safetensors");
        assertEquals(3, Files.readAllLines(out.resolve("losses.csv")).size());
    }

    @Test
    void missingCifarFilesAreReportedByName(@TempDir Path out) {
        ResnetCifar cmd = new ResnetCifar();
        CommandLine cl = new CommandLine(cmd);
        java.io.StringWriter err = new java.io.StringWriter();
        cl.setErr(new java.io.PrintWriter(err));
        cl.setExecutionExceptionHandler((e, c, p) -> {
            c.getErr().println(e.getMessage());
            return 2;
        });
        assertEquals(2, cl.execute("--output", out.toString(), "--data-dir", out.resolve("nothing").toString()));
        assertTrue(err.toString().contains("data_batch_1.bin"), err.toString());
    }
}
