package dev.tessera.examples;

import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.metrics.Metrics;
import dev.tessera.nn.Activation;
import dev.tessera.nn.AveragePooling2D;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Padding;
import dev.tessera.optim.Adam;
import dev.tessera.train.CsvLogger;
import dev.tessera.train.History;
import dev.tessera.train.ModelCheckpoint;
import dev.tessera.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * LeNet-5 (LeCun et al., 1998: 6@5x5, pooling, 16@5x5, pooling, 120, 84, 10, tanh) on MNIST-format IDX files
 * (handwritten digits or Fashion-MNIST); the first convolution pads 28x28 images as the paper's 32x32 input would.
 */
@Command(name = "lenet-mnist", mixinStandardHelpOptions = true,
        description = "Trains LeNet-5 on MNIST or Fashion-MNIST IDX files.")
public final class LenetMnist implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Folder with train-images-idx3-ubyte[.gz] and the other three IDX files "
            + "(default: /usr/share/datasets/fashion-mnist if present).")
    Path dataDir;

    @Option(names = "--output", description = "Folder for logs, checkpoints and plots (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "lenet-mnist");

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 3;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-3;

    @Option(names = "--limit", description = "Use only the first N training and test images (0: all).")
    int limit;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Test accuracy, set when the run ends. */
    double testAccuracy = Double.NaN;

    /** LeNet-5 for 28x28 grey images and ten classes. */
    static Sequential lenet5() {
        return new Sequential(
                new Conv2D(6, 5).padding(Padding.SAME).activation(Activation.TANH),
                new AveragePooling2D(2),
                new Conv2D(16, 5).activation(Activation.TANH),
                new AveragePooling2D(2),
                new Flatten(),
                new Dense(120).activation(Activation.TANH),
                new Dense(84).activation(Activation.TANH),
                new Dense(10));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        ImageData.Split data = ImageData.load(dataDir, ImageData.DEBIAN_FASHION_MNIST,
                "pass --data-dir with MNIST-format IDX files (e.g. apt-get install dataset-fashion-mnist)", limit, out);
        Sequential model = lenet5();
        model.seed(seed);
        Trainer trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model, learningRate))
                .metrics(Metrics.accuracy()).verbose(quiet ? 0 : 1);
        History h = trainer.fit(Batches.ofPairs(data.train().shuffledBatches(batchSize, false, seed)), epochs,
                Batches.ofPairs(data.test().batches(256, false)), new CsvLogger(output.resolve("training.csv")),
                new ModelCheckpoint(output.resolve("lenet5.safetensors")));
        out.println(model.summary());
        testAccuracy = trainer.evaluate(Batches.ofPairs(data.test().batches(256, false))).get("accuracy");
        out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs on %d training images%n", testAccuracy, epochs,
                data.train().size());
        Map<String, List<Double>> acc = new LinkedHashMap<>();
        acc.put("train", h.get("accuracy"));
        acc.put("test", h.get("val_accuracy"));
        Plots.lines(output.resolve("accuracy.png"), "LeNet-5 accuracy", "accuracy", acc);
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }
}
