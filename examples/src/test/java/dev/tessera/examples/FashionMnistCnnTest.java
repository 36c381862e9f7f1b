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

class FashionMnistCnnTest {
    @Test
    void tinyRunWritesCurvesFiltersAndWeightsAndAMissingDataDirIsAnError(@TempDir Path out) throws IOException {
        FashionMnistCnn cmd = new FashionMnistCnn();
        int rc = new CommandLine(cmd).execute("--data-dir", out.resolve("missing").toString(), "--output", out.toString());
        assertEquals(1, rc, "a --data-dir without IDX files is an error");

        cmd = new FashionMnistCnn();
        cmd.dataDir = null;
        rc = new CommandLine(cmd).execute("--output", out.toString(), "--limit", "64", "--epochs", "1", "--lr", "0.01,0.1",
                "--quiet");
        assertEquals(0, rc);
        for (String f : List.of("lr-0.01.csv", "lr-0.1.csv", "training_loss.png", "validation_accuracy.png",
                "filters_layer1.png", "filters_layer2.png", "best.safetensors")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(cmd.testAccuracy >= 0 && cmd.testAccuracy <= 1);
    }
}
