package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CaptioningTest {

    @Test
    void tinyRunWritesLogAndPlotsAndScoresHeldOutCaptions(@TempDir Path out) throws IOException {
        Captioning cmd = new Captioning();
        assertEquals(0, new CommandLine(cmd).execute("--output", out.toString(), "--images", "20", "--test-images",
                "5", "--image-size", "16", "--epochs", "1", "--overfit-epochs", "3", "--units", "8", "--batch-size",
                "10", "--quiet"));
        for (String f : new String[] {"training.csv", "loss.png", "held_out_examples.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)) && Files.size(out.resolve(f)) > 0, f);
        }
        assertEquals(2, Files.readAllLines(out.resolve("training.csv")).size());
        assertTrue(Double.isFinite(cmd.overfitLoss) && cmd.overfitLoss > 0, "overfit loss " + cmd.overfitLoss);
        assertTrue(cmd.bleu >= 0 && cmd.bleu <= 1, "BLEU-4 " + cmd.bleu);
    }
}
