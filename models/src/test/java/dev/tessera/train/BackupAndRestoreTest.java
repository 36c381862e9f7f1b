package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.nn.Activation;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Dropout;
import dev.tessera.nn.Module;
import dev.tessera.nn.Sequential;
import dev.tessera.optim.Adam;
import dev.tessera.random.Generator;
import dev.tessera.train.TestModels.NoisyClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed after epoch 2 and resumed by new objects from the backup file alone ends with the
 * weights of an uninterrupted 4-epoch run, bit for bit; the model uses dropout drawn from its
 * generator and the batches are reshuffled every epoch, so the random state must be restored too.
 */
class BackupAndRestoreTest {
    @TempDir
    Path dir;

    /** Everything a fresh process would create. */
    private static final class Run {
        final Generator shuffle = new Generator(7);
        final Module model;
        final Trainer trainer;
        final Iterable<Batch> data = TestModels.threeClasses(40, 8, shuffle);

        Run() {
            this(() -> new NoisyClassifier(8, 3, 0.8));
        }

        Run(java.util.function.Supplier<Module> make) {
            model = make.get().seed(42);
            trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model, 0.02)).verbose(0);
        }
    }

    /** Stands in for the process being killed right after epoch {@code epoch} (0-based) was backed up. */
    private static final class Kill implements Callback {
        private final int epoch;

        Kill(int epoch) {
            this.epoch = epoch;
        }

        @Override
        public void onEpochEnd(Trainer trainer, int e, Map<String, Double> logs) {
            if (e == epoch) {
                throw new IllegalStateException("killed");
            }
        }
    }

    @Test
    void resumedRunEndsWithExactlyTheWeightsOfAnUninterruptedRun() {
        Run straight = new Run();
        straight.trainer.fit(straight.data, 4);
        List<float[]> expected = TestModels.weights(straight.model);

        Path backup = dir.resolve("backup.safetensors");
        Run first = new Run();
        assertThrows(IllegalStateException.class, () -> first.trainer.fit(first.data, 4,
                new BackupAndRestore(backup).track("shuffle", first.shuffle), new Kill(1)));
        assertTrue(Files.exists(backup));

        Run resumed = new Run();
        History h = resumed.trainer.fit(resumed.data, 4, new BackupAndRestore(backup).track("shuffle", resumed.shuffle));
        assertEquals(List.of(2, 3), h.epochs());
        List<float[]> actual = TestModels.weights(resumed.model);
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i + " differs after resuming");
        }
        assertEquals(straight.model.generator().counter(), resumed.model.generator().counter());
        assertEquals(straight.shuffle.counter(), resumed.shuffle.counter());
        assertEquals(straight.trainer.optimizer().iterations(), resumed.trainer.optimizer().iterations());
        assertFalse(Files.exists(backup), "the backup is deleted after training completes");
    }

    @Test
    void resumingWithoutTheShuffleStateGivesDifferentWeights() {
        Run straight = new Run();
        straight.trainer.fit(straight.data, 4);

        Path backup = dir.resolve("untracked.safetensors");
        Run first = new Run();
        assertThrows(IllegalStateException.class,
                () -> first.trainer.fit(first.data, 4, new BackupAndRestore(backup), new Kill(1)));
        Run resumed = new Run();
        resumed.trainer.fit(resumed.data, 4, new BackupAndRestore(backup));
        boolean same = true;
        List<float[]> a = TestModels.weights(straight.model);
        List<float[]> b = TestModels.weights(resumed.model);
        for (int i = 0; i < a.size(); i++) {
            same &= java.util.Arrays.equals(a.get(i), b.get(i));
        }
        assertFalse(same, "the data order matters, so forgetting its generator must change the result");
    }

    @Test
    void backupFromAnotherSeedIsRefused() {
        Path backup = dir.resolve("seed.safetensors");
        Run first = new Run();
        assertThrows(IllegalStateException.class, () -> first.trainer.fit(first.data, 4,
                new BackupAndRestore(backup).track("shuffle", first.shuffle), new Kill(0)));
        Run other = new Run();
        Generator different = new Generator(8);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> other.trainer.fit(other.data, 4, new BackupAndRestore(backup).track("shuffle", different)));
        assertTrue(e.getMessage().contains("seed 8") && e.getMessage().contains("seed 7"), e.getMessage());
    }

    @Test
    void corruptBackupIsRefusedWithTheFileName() throws java.io.IOException {
        Path backup = dir.resolve("corrupt.safetensors");
        Files.write(backup, new byte[] {1, 2, 3});
        Run run = new Run();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> run.trainer.fit(run.data, 2, new BackupAndRestore(backup)));
        assertTrue(e.getMessage().contains(backup.toString()) && e.getMessage().contains("delete the file"), e.getMessage());
    }

    /** The same kill-and-resume with the library's layers: batch norm's moving statistics and Dropout's draws must be restored too. */
    @Test
    void resumedSequentialWithBatchNormAndDropoutMatchesUninterruptedRun() {
        java.util.function.Supplier<Run> fresh = () -> new Run(() -> new Sequential(new Dense(16).activation(Activation.RELU),
                new BatchNormalization(), new Dropout(0.3), new Dense(3)));
        Run straight = fresh.get();
        straight.trainer.fit(straight.data, 4);
        Path backup = dir.resolve("sequential.safetensors");
        Run first = fresh.get();
        assertThrows(IllegalStateException.class, () -> first.trainer.fit(first.data, 4,
                new BackupAndRestore(backup).track("shuffle", first.shuffle), new Kill(1)));
        Run resumed = fresh.get();
        resumed.trainer.fit(resumed.data, 4, new BackupAndRestore(backup).track("shuffle", resumed.shuffle));
        List<float[]> expected = TestModels.weights(straight.model);
        List<float[]> actual = TestModels.weights(resumed.model);
        assertEquals(8, expected.size(), "kernels, biases, gamma, beta and both moving statistics");
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), actual.get(i), "parameter " + i + " differs after resuming");
        }
    }

    @Test
    void backupFromAnotherOptimizerIsRefusedAndTheModelLeftAsBuilt() {
        Path backup = dir.resolve("optimizer.safetensors");
        Run first = new Run();
        assertThrows(IllegalStateException.class, () -> first.trainer.fit(first.data, 4,
                new BackupAndRestore(backup).track("shuffle", first.shuffle), new Kill(0)));
        NoisyClassifier model = (NoisyClassifier) new NoisyClassifier(8, 3, 0.8).seed(42);
        Trainer sgd = new Trainer(model, new SparseCategoricalCrossentropy(true),
                new dev.tessera.optim.Sgd(model, dev.tessera.optim.LearningRateSchedule.constant(0.1), 0.9)).verbose(0);
        model.call(dev.tessera.Tensor.zeros(1, 4));
        List<float[]> before = TestModels.weights(model);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> sgd.fit(first.data, 4, new BackupAndRestore(backup).track("shuffle", new Generator(7))));
        assertTrue(e.getMessage().contains("'hidden/kernel/m' is not a state of Sgd"), e.getMessage());
        List<float[]> after = TestModels.weights(model);
        for (int i = 0; i < before.size(); i++) {
            assertArrayEquals(before.get(i), after.get(i), "parameter " + i + " changed by a refused backup");
        }
    }
}
