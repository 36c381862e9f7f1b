package dev.tessera.train;

import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.nn.Module;
import dev.tessera.optim.Adam;
import dev.tessera.random.Generator;
import dev.tessera.train.TestModels.NoisyClassifier;
import java.nio.file.Path;
import java.util.Map;

/**
 * A training process for {@link ResumeInFreshProcessTest}: trains 4 epochs with a backup file, and
 * either halts the JVM abruptly after a given epoch (a kill) or saves the final weights.
 * Arguments: backup path, epoch to die after (-1 for none), weights output path.
 */
public final class ResumeWorker {
    private ResumeWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path backup = Path.of(args[0]);
        int dieAfter = Integer.parseInt(args[1]);
        Generator shuffle = new Generator(7);
        Module model = new NoisyClassifier(8, 3, 0.8).seed(42);
        Trainer trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model, 0.02)).verbose(0);
        Callback die = new Callback() {
            @Override
            public void onEpochEnd(Trainer t, int epoch, Map<String, Double> logs) {
                if (epoch == dieAfter) {
                    Runtime.getRuntime().halt(3);
                }
            }
        };
        trainer.fit(TestModels.threeClasses(40, 8, shuffle), 4, new BackupAndRestore(backup).track("shuffle", shuffle), die);
        Weights.save(model, Path.of(args[2]));
    }
}
