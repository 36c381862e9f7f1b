package dev.tessera.examples;

import dev.tessera.data.LabeledImages;
import dev.tessera.data.cifar.CifarReader;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.metrics.Metrics;
import dev.tessera.optim.Adam;
import dev.tessera.train.CsvLogger;
import dev.tessera.train.History;
import dev.tessera.train.ModelCheckpoint;
import dev.tessera.train.Trainer;
import dev.tessera.zoo.ResNet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * ResNet-18 (torchvision's layout) on the CIFAR-10 binary files. Without {@code --data-dir} it says what to pass
 * and trains on a small synthetic set instead: each of ten classes is a colour with noise, which any working
 * network separates within an epoch.
 */
@Command(name = "resnet-cifar", mixinStandardHelpOptions = true, description = "Trains ResNet-18 on CIFAR-10 binaries.")
public final class ResnetCifar implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Folder with CIFAR-10's data_batch_1.bin .. data_batch_5.bin and test_batch.bin "
            + "(the 'binary version' from the CIFAR page).")
    Path dataDir;

    @Option(names = "--output", description = "Folder for logs, checkpoints and plots (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "resnet-cifar");

    @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 2;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 1e-3;

    @Option(names = "--limit", description = "Use only the first N training and test images (0: all).")
    int limit;

    @Option(names = "--synthetic", description = "Synthetic images per split when no --data-dir is given (default: ${DEFAULT-VALUE}).")
    int synthetic = 320;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Test accuracy, set when the run ends. */
    double testAccuracy = Double.NaN;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        LabeledImages train;
        LabeledImages test;
        if (dataDir != null) {
            CifarReader.Splits s = CifarReader.loadCifar10(dataDir);
            train = limit > 0 && limit < s.train().size() ? ImageData.range(s.train(), 0, limit) : s.train();
            test = limit > 0 && limit < s.test().size() ? ImageData.range(s.test(), 0, limit) : s.test();
        } else {
            out.println("No --data-dir given: pass the folder of CIFAR-10's binary version (data_batch_1.bin .. "
                    + "data_batch_5.bin, test_batch.bin) to train on CIFAR-10.");
            out.printf(Locale.ROOT, "Training on %d synthetic 32x32 images of ten colour classes instead.%n", synthetic);
            train = syntheticColours(synthetic, seed);
            test = syntheticColours(Math.max(10, synthetic / 4), seed + 1);
        }
        ResNet model = ResNet.resnet18(10);
        model.seed(seed);
        Trainer trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model, learningRate))
                .metrics(Metrics.accuracy()).verbose(quiet ? 0 : 1);
        History h = trainer.fit(Batches.ofPairs(train.shuffledBatches(batchSize, false, seed)), epochs,
                Batches.ofPairs(test.batches(128, false)), new CsvLogger(output.resolve("training.csv")),
                new ModelCheckpoint(output.resolve("resnet18.safetensors")));
        testAccuracy = last(h.get("val_accuracy"));
        out.printf(Locale.ROOT, "test accuracy %.4f after %d epochs on %d training images%n", testAccuracy, epochs,
                train.size());
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        curves.put("train", h.get("accuracy"));
        curves.put("test", h.get("val_accuracy"));
        Plots.lines(output.resolve("accuracy.png"), "ResNet-18 accuracy", "accuracy", curves);
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    /** Images whose class k is a fixed colour plus uniform noise of +-40 levels. */
    static LabeledImages syntheticColours(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int per = CifarReader.PIXELS;
        byte[] pixels = new byte[n * per];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int k = i % 10;
            labels[i] = k;
            int[] rgb = {(k * 97) % 256, (k * 53 + 80) % 256, (k * 181 + 30) % 256};
            for (int p = 0; p < per; p++) {
                int v = rgb[p % 3] + rng.nextInt(-40, 41);
                pixels[i * per + p] = (byte) Math.max(0, Math.min(255, v));
            }
        }
        return new LabeledImages(pixels, labels, CifarReader.SIDE, CifarReader.SIDE, 3);
    }
}
