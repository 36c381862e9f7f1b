package dev.tessera.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ClevrFilmTest {
    private static ClevrFilm run(Path out, int epochs) {
        ClevrFilm cmd = new ClevrFilm();
        int rc = new CommandLine(cmd).execute("--output", out.toString(), "--images", "24", "--validation-images", "8",
                "--image-size", "24", "--epochs", String.valueOf(epochs), "--batch-size", "8", "--width", "8", "--quiet");
        assertEquals(0, rc);
        return cmd;
    }

    @Test
    void tinyRunWritesLogCheckpointsAndPlotsThenResumesFromTheLastEpoch(@TempDir Path out) throws IOException {
        ClevrFilm first = run(out, 1);
        assertEquals(0, first.startedAtEpoch);
        for (String f : List.of("training.csv", "loss.png", "accuracy.png", "example.png", "answer_distribution.png",
                "checkpoints/epoch-01.safetensors")) {
            assertTrue(Files.size(out.resolve(f)) > 0, f);
        }
        assertTrue(first.finalAccuracy >= 0 && first.finalAccuracy <= 1);
        assertTrue(first.baselineAccuracy > 0 && first.baselineAccuracy <= 1);

        ClevrFilm second = run(out, 2);
        assertEquals(1, second.startedAtEpoch);
        assertTrue(Files.exists(out.resolve("checkpoints/epoch-02.safetensors")));
        Map<String, List<Double>> log = TrainingLog.read(out.resolve("training.csv"));
        assertEquals(2, log.get("loss").size());
        assertEquals(2, log.get("val_accuracy").size());
    }
}
