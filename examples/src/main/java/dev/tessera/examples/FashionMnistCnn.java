package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.data.LabeledImages;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.metrics.Metrics;
import dev.tessera.nn.Activation;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Dropout;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.MaxPooling2D;
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Padding;
import dev.tessera.optim.Sgd;
import dev.tessera.train.CsvLogger;
import dev.tessera.train.History;
import dev.tessera.train.Trainer;
import dev.tessera.train.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Fashion-MNIST homework network (two convolutions with max pooling, dense 600 with dropout, dense 120,
 * ten log-probabilities) trained with plain SGD at several learning rates, compared on a validation split; the
 * best one's curves, its test accuracy and pictures of its first and second layers' filters are written out.
 */
@Command(name = "fashion-mnist-cnn", mixinStandardHelpOptions = true,
        description = "Trains the homework CNN on Fashion-MNIST with SGD at several learning rates.")
public final class FashionMnistCnn implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Folder with the four Fashion-MNIST IDX files (default: "
            + "/usr/share/datasets/fashion-mnist, from Debian's dataset-fashion-mnist package).")
    Path dataDir;

    @Option(names = "--output", description = "Folder for logs and plots (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "fashion-mnist-cnn");

    @Option(names = "--epochs", description = "Epochs per learning rate (default: ${DEFAULT-VALUE}).")
    int epochs = 15;

    @Option(names = "--lr", split = ",", description = "Learning rates to compare (default: ${DEFAULT-VALUE}).")
    List<Double> learningRates = List.of(0.001, 0.01, 0.1);

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 64;

    @Option(names = "--validation", description = "Fraction of the training images held out for validation (default: ${DEFAULT-VALUE}).")
    double validationFraction = 0.1;

    @Option(names = "--dropout", description = "Dropout rate after the 600-unit layer (default: ${DEFAULT-VALUE}).")
    double dropout = 0.5;

    @Option(names = "--limit", description = "Use only the first N training and test images (0: all).")
    int limit;

    @Option(names = "--seed", description = "Seed for initialisation, dropout and shuffling (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The best learning rate's test accuracy, set when the run ends. */
    double testAccuracy = Double.NaN;

    /** The homework network: two convolutions with max pooling, then dense 600 (with dropout), 120 and 10 log-probabilities. */
    public static Sequential network(double dropout) {
        return new Sequential(
                new Conv2D(16, 3).padding(Padding.SAME).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Conv2D(32, 3).activation(Activation.RELU),
                new MaxPooling2D(2),
                new Flatten(),
                new Dense(600).activation(Activation.RELU),
                new Dropout(dropout),
                new Dense(120).activation(Activation.RELU),
                new Dense(10).activation(Activation.LOG_SOFTMAX));
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        ImageData.Split data = ImageData.load(dataDir, ImageData.DEBIAN_FASHION_MNIST,
                "install Debian's dataset-fashion-mnist (apt-get install dataset-fashion-mnist) or pass --data-dir", limit, out);
        int n = data.train().size();
        int held = Math.max(1, (int) Math.round(n * validationFraction));
        LabeledImages train = ImageData.range(data.train(), 0, n - held);
        LabeledImages validation = ImageData.range(data.train(), n - held, n);
        out.printf(Locale.ROOT, "%d training, %d validation, %d test images%n", train.size(), validation.size(),
                data.test().size());

        double bestAccuracy = Double.NEGATIVE_INFINITY;
        double bestRate = Double.NaN;
        Sequential best = null;
        History bestHistory = null;
        for (double rate : learningRates) {
            out.printf(Locale.ROOT, "--- SGD, learning rate %s, %d epochs ---%n", rate, epochs);
            Sequential model = network(dropout);
            model.seed(seed);
            // The network ends in log-softmax; cross-entropy "from logits" of log-probabilities is the negative
            // log-likelihood, since log-softmax leaves log-probabilities unchanged.
            Trainer trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Sgd(model, rate))
                    .metrics(Metrics.accuracy()).verbose(quiet ? 0 : 1);
            History h = trainer.fit(Batches.ofPairs(train.shuffledBatches(batchSize, false, seed)), epochs,
                    Batches.ofPairs(validation.batches(256, false)), new CsvLogger(output.resolve("lr-" + rate + ".csv")));
            double accuracy = last(h.get("val_accuracy"));
            out.printf(Locale.ROOT, "learning rate %s: validation accuracy %.4f%n", rate, accuracy);
            if (best == null || accuracy > bestAccuracy) {
                bestAccuracy = accuracy;
                bestRate = rate;
                best = model;
                bestHistory = h;
            }
        }
        Trainer evaluator = new Trainer(best, new SparseCategoricalCrossentropy(true), new Sgd(best, bestRate))
                .metrics(Metrics.accuracy());
        testAccuracy = evaluator.evaluate(Batches.ofPairs(data.test().batches(256, false))).get("accuracy");
        out.printf(Locale.ROOT, "best learning rate %s (validation accuracy %.4f): test accuracy %.4f%n", bestRate,
                bestAccuracy, testAccuracy);
        Weights.save(best, output.resolve("best.safetensors"));
        Plots.lines(output.resolve("training_loss.png"), "Training loss, SGD lr " + bestRate, "loss",
                Map.of("train", bestHistory.get("loss")));
        Plots.lines(output.resolve("validation_accuracy.png"), "Validation accuracy, SGD lr " + bestRate, "accuracy",
                Map.of("validation", bestHistory.get("val_accuracy")));
        drawFilters(best);
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }

    private static double last(List<Double> values) {
        return values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
    }

    /** First layer: 16 3x3 grey filters; second layer: 32 rows (filters) of 16 3x3 input-channel slices. */
    private void drawFilters(Sequential model) throws IOException {
        Map<String, Tensor> weights = Weights.values(model);
        List<Tensor> kernels = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : weights.entrySet()) {
            if (e.getKey().endsWith("kernel") && e.getValue().rank() == 4) {
                kernels.add(e.getValue());
            }
        }
        Plots.imageGrid(output.resolve("filters_layer1.png"), slices(kernels.get(0)), 3, 3, 1, 16, 12);
        Plots.imageGrid(output.resolve("filters_layer2.png"), slices(kernels.get(1)), 3, 3, 1, 16, 8);
    }

    /** The 3x3 slices of an HWIO kernel, output filter by output filter, each scaled to [0, 1]. */
    private static List<float[]> slices(Tensor kernel) {
        float[] k = kernel.toFloatArray();
        int kh = (int) kernel.dim(0);
        int kw = (int) kernel.dim(1);
        int in = (int) kernel.dim(2);
        int outChannels = (int) kernel.dim(3);
        Map<Integer, float[]> bySlice = new LinkedHashMap<>();
        for (int o = 0; o < outChannels; o++) {
            for (int i = 0; i < in; i++) {
                float[] s = new float[kh * kw];
                for (int y = 0; y < kh; y++) {
                    for (int x = 0; x < kw; x++) {
                        s[y * kw + x] = k[((y * kw + x) * in + i) * outChannels + o];
                    }
                }
                bySlice.put(o * in + i, Plots.normalize(s));
            }
        }
        return new ArrayList<>(bySlice.values());
    }
}
