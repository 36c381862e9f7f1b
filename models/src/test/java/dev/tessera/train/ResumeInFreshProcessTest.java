package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resume guarantee across real processes: a JVM halted right after epoch 2 (no shutdown hooks,
 * nothing flushed but the backup) and a new JVM that resumes from the backup file end with the same
 * weights file, byte for byte, as one JVM that trained 4 epochs without stopping.
 */
class ResumeInFreshProcessTest {
    @TempDir
    Path dir;

    @Test
    void killedProcessResumedInANewProcessMatchesAnUninterruptedRun() throws Exception {
        Path straight = dir.resolve("straight.safetensors");
        assertEquals(0, worker(dir.resolve("b1.safetensors"), -1, straight));

        Path backup = dir.resolve("b2.safetensors");
        Path never = dir.resolve("never.safetensors");
        assertEquals(3, worker(backup, 1, never), "the first process halts after epoch 2");
        assertTrue(Files.exists(backup));
        assertFalse(Files.exists(never));

        Path resumed = dir.resolve("resumed.safetensors");
        assertEquals(0, worker(backup, -1, resumed));
        assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed),
                "weights after kill + resume differ from an uninterrupted run");
    }

    private static int worker(Path backup, int dieAfter, Path weights) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                ResumeWorker.class.getName(), backup.toString(), Integer.toString(dieAfter), weights.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("training process did not finish in 120 s");
        }
        return p.exitValue();
    }
}
