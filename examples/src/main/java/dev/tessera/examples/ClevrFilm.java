package dev.tessera.examples;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Pair;
import dev.tessera.data.clevr.ClevrGenerate;
import dev.tessera.data.clevr.ClevrQa;
import dev.tessera.io.Safetensors;
import dev.tessera.loss.SparseCategoricalCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.metrics.Metrics;
import dev.tessera.optim.Adam;
import dev.tessera.train.BackupAndRestore;
import dev.tessera.train.Batch;
import dev.tessera.train.CsvLogger;
import dev.tessera.train.ModelCheckpoint;
import dev.tessera.train.Trainer;
import dev.tessera.train.Weights;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main example: CLEVR-style visual question answering with a FiLM model. It generates rendered scenes with
 * questions as TFRecords (or reads a given directory in the coursework's format), trains with Adam and sparse
 * cross-entropy from logits while logging train and validation loss and accuracy, checkpoints every epoch and
 * resumes a killed run from its last finished epoch, then compares the final validation accuracy with the
 * majority-answer baseline and draws the curves and one validation example.
 */
@Command(name = "clevr-film", mixinStandardHelpOptions = true,
        description = "Trains a FiLM visual question-answering model on generated CLEVR-style scenes.")
public final class ClevrFilm implements Callable<Integer> {
    @Option(names = "--output", description = "Folder for data, logs, checkpoints and plots (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "clevr-film");

    @Option(names = "--data-dir", description = "Read this CLEVR TFRecord folder (with train/ and validation/) instead of generating one.")
    Path dataDir;

    @Option(names = "--images", description = "Training images to generate, 10 questions each (default: ${DEFAULT-VALUE}).")
    int images = 3000;

    @Option(names = "--validation-images", description = "Validation images to generate (default: ${DEFAULT-VALUE}).")
    int validationImages = 300;

    @Option(names = "--image-size", description = "Side of generated images in pixels (default: ${DEFAULT-VALUE}).")
    int imageSize = 64;

    @Option(names = "--epochs", description = "Epochs; each shows every training image once with one of its questions (default: ${DEFAULT-VALUE}).")
    int epochs = 8;

    @Option(names = "--res-blocks", description = "FiLM residual blocks (default: ${DEFAULT-VALUE}).")
    int resBlocks = 1;

    @Option(names = "--width", description = "Feature channels of the residual blocks (default: ${DEFAULT-VALUE}).")
    int width = 32;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 32;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 3e-4;

    @Option(names = "--device", description = "Device to train on, e.g. cpu or cuda:0 (default: ${DEFAULT-VALUE}).")
    String device = "cpu";

    @Option(names = "--seed", description = "Seed for data generation, sampling and initialisation (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** The final validation accuracy over every validation question, set when the run ends. */
    double finalAccuracy = Double.NaN;

    /** The majority-answer baseline's validation accuracy, set when the run ends. */
    double baselineAccuracy = Double.NaN;

    /** The 0-based epoch training started from (0 for a fresh run, later when resuming). */
    int startedAtEpoch;

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        Path root = dataDir != null ? dataDir : generate(out);
        ClevrQa qa = ClevrQa.open(root, ClevrQa.Options.defaults().withBatchSize(batchSize));
        out.println(qa.describe());
        Device dev = Device.parse(device);
        int answers = qa.answers().vocabularySize();
        FilmVqa model = new FilmVqa(qa.vectorizer().vocabularySize(), answers, resBlocks, width);
        model.seed(seed);
        model.device(dev);
        Trainer trainer = new Trainer(model, new SparseCategoricalCrossentropy(true), new Adam(model, learningRate))
                .metrics(Metrics.accuracy()).verbose(quiet ? 0 : 1);

        Path backup = output.resolve("backup.safetensors");
        Path log = output.resolve("training.csv");
        startedAtEpoch = finishedEpochs(backup);
        if (startedAtEpoch > 0) {
            out.printf(Locale.ROOT, "Resuming from %s after epoch %d%n", backup, startedAtEpoch);
        }
        ModelCheckpoint checkpoints = new ModelCheckpoint(output.resolve("checkpoints").resolve("epoch-{epoch:02d}.safetensors"));
        long start = System.nanoTime();
        trainer.fit(Batches.ofQa(qa.batches(ClevrQa.TRAIN, startedAtEpoch).map(b -> onto(b, dev))), epochs,
                Batches.ofQa(qa.batches(ClevrQa.VALIDATION, startedAtEpoch).map(b -> onto(b, dev))),
                new BackupAndRestore(backup).keepAfterTraining(), new CsvLogger(log, startedAtEpoch > 0), checkpoints);
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!model.isBuilt()) {
            buildAndLoad(model, qa, dev, checkpoints.pathFor(epochs - 1));
        }

        Map<String, Double> result = trainer.evaluate(Batches.ofQa(qa.allPairBatches(ClevrQa.VALIDATION).map(b -> onto(b, dev))));
        finalAccuracy = result.get("accuracy");
        baselineAccuracy = majorityBaseline(qa);
        out.printf(Locale.ROOT, "trained epochs %d..%d in %.1f s%n", startedAtEpoch + 1, epochs, seconds);
        out.printf(Locale.ROOT, "validation loss %.3f, validation accuracy %.3f vs majority-answer baseline %.3f%n",
                result.get("loss"), finalAccuracy, baselineAccuracy);
        plotCurves(log);
        showExample(model, qa, dev, out);
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }

    private Path generate(PrintStream out) throws IOException {
        Path root = output.resolve("data");
        Path stamp = root.resolve("generated-with.txt");
        String config = String.format(Locale.ROOT, "train=%d validation=%d size=%d seed=%d", images, validationImages,
                imageSize, seed);
        if (Files.exists(stamp) && Files.readString(stamp).strip().equals(config)) {
            out.println("Using the data generated earlier in " + root);
            return root;
        }
        long t0 = System.nanoTime();
        out.printf(Locale.ROOT, "Generating %d training and %d validation scenes of %dx%d pixels into %s%n", images,
                validationImages, imageSize, imageSize, root);
        var report = ClevrGenerate.run(new ClevrGenerate.Options(root, images, validationImages, 4, seed, imageSize, false,
                Runtime.getRuntime().availableProcessors()));
        out.printf(Locale.ROOT, "generated in %.1f s; majority answer '%s'%n", (System.nanoTime() - t0) / 1e9,
                report.majorityAnswer());
        Files.writeString(stamp, config + "\n");
        return root;
    }

    private static Pair<Pair<Tensor, Tensor>, Tensor> onto(Pair<Pair<Tensor, Tensor>, Tensor> batch, Device dev) {
        if (dev.equals(batch.second().device())) {
            return batch;
        }
        Pair<Pair<Tensor, Tensor>, Tensor> moved = Pair.of(Pair.of(batch.first().first().to(dev),
                batch.first().second().to(dev)), batch.second().to(dev));
        batch.first().first().close();
        batch.first().second().close();
        batch.second().close();
        return moved;
    }

    /** The number of epochs a backup left by an earlier run has finished, or 0 without one. */
    static int finishedEpochs(Path backup) throws IOException {
        if (!Files.exists(backup)) {
            return 0;
        }
        Safetensors.Contents c = MemoryScope.unscoped(() -> {
            try {
                return Safetensors.read(backup);
            } catch (IOException e) {
                throw new IllegalStateException("clevr-film: cannot read the backup " + backup + " — " + e.getMessage()
                        + " (delete it to start afresh)", e);
            }
        });
        c.tensors().values().forEach(Tensor::close);
        String epoch = c.metadata().get("epoch");
        return epoch == null ? 0 : Integer.parseInt(epoch);
    }

    /** When every epoch had already been trained: builds the model on one batch and loads the last checkpoint. */
    private static void buildAndLoad(FilmVqa model, ClevrQa qa, Device dev, Path checkpoint) throws IOException {
        for (Batch b : Batches.ofQa(qa.allPairBatches(ClevrQa.VALIDATION).map(x -> onto(x, dev)).take(1))) {
            try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
                model.eval();
                model.call(b.inputs());
            }
        }
        Weights.load(model, checkpoint);
    }

    /** The validation accuracy of always answering the training split's most common answer (over all questions). */
    private static double majorityBaseline(ClevrQa qa) {
        Map<Long, Long> counts = new HashMap<>();
        try (CloseableIterator<ClevrQa.Sample> it = qa.allPairs(ClevrQa.TRAIN).iterator()) {
            it.forEachRemaining(s -> counts.merge(s.answer(), 1L, Long::sum));
        }
        long majority = counts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        long hits = 0;
        long total = 0;
        try (CloseableIterator<ClevrQa.Sample> it = qa.allPairs(ClevrQa.VALIDATION).iterator()) {
            while (it.hasNext()) {
                hits += it.next().answer() == majority ? 1 : 0;
                total++;
            }
        }
        return total == 0 ? Double.NaN : (double) hits / total;
    }

    private void plotCurves(Path log) throws IOException {
        Map<String, List<Double>> columns = TrainingLog.read(log);
        Map<String, List<Double>> loss = new LinkedHashMap<>();
        loss.put("train", columns.getOrDefault("loss", List.of()));
        loss.put("validation", columns.getOrDefault("val_loss", List.of()));
        Plots.lines(output.resolve("loss.png"), "Loss (sparse cross-entropy)", "loss", loss);
        Map<String, List<Double>> accuracy = new LinkedHashMap<>();
        accuracy.put("train", columns.getOrDefault("accuracy", List.of()));
        accuracy.put("validation", columns.getOrDefault("val_accuracy", List.of()));
        Plots.lines(output.resolve("accuracy.png"), "Accuracy", "accuracy", accuracy);
    }

    /** Writes the first validation image, prints its question, answer and predicted distribution, and plots it. */
    private void showExample(FilmVqa model, ClevrQa qa, Device dev, PrintStream out) throws IOException {
        ClevrQa.Sample sample;
        try (CloseableIterator<ClevrQa.Sample> it = qa.allPairs(ClevrQa.VALIDATION).iterator()) {
            sample = it.next();
        }
        int side = qa.imageSize();
        float[] pixels = new float[sample.image().length];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (sample.image()[i] & 0xFF) / 255f;
        }
        Plots.imageGrid(output.resolve("example.png"), List.of(pixels), side, side, 3, 1, Math.max(1, 256 / side));
        StringBuilder question = new StringBuilder();
        for (int t : sample.question()) {
            if (t != 0) {
                question.append(question.isEmpty() ? "" : " ").append(qa.vectorizer().vocabulary().token(t));
            }
        }
        double[] probabilities;
        try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
            model.eval();
            Pair<Pair<Tensor, Tensor>, Tensor> batch = onto(qa.collate(List.of(sample)), dev);
            probabilities = model.call(batch.first().first(), batch.first().second()).softmax(-1)
                    .to(Device.cpu()).toDoubleArray();
        }
        List<String> names = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) {
            names.add(qa.answers().value(i));
            values.add(probabilities[i]);
        }
        String truth = qa.answers().value((int) sample.answer());
        out.println("example (example.png): " + question + "?");
        out.println("true answer: " + truth);
        out.println("predicted distribution (answer_distribution.png):");
        Integer[] order = new Integer[probabilities.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(probabilities[b], probabilities[a]));
        for (int i : order) {
            out.printf(Locale.ROOT, "  %-12s %6.3f%s%n", names.get(i), probabilities[i], names.get(i).equals(truth) ? "  <- true" : "");
        }
        Plots.bars(output.resolve("answer_distribution.png"), question + "? (true answer: " + truth + ")", "probability",
                names, values);
    }
}
