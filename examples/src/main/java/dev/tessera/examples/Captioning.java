package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.data.Dataset;
import dev.tessera.data.clevr.Renderer;
import dev.tessera.data.clevr.Scene;
import dev.tessera.data.clevr.SceneGenerator;
import dev.tessera.data.clevr.SceneObject;
import dev.tessera.loss.TemporalCrossentropy;
import dev.tessera.memory.MemoryScope;
import dev.tessera.optim.Adam;
import dev.tessera.train.Batch;
import dev.tessera.train.CsvLogger;
import dev.tessera.train.History;
import dev.tessera.train.Trainer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Image captioning on generated scenes: each caption names the three leftmost objects from left to right ("large
 * red metal cube left of small blue rubber sphere left of ..."). A CNN encoder and an LSTM decoder with additive
 * attention ({@link CaptionModel}) train with masked temporal cross-entropy. As a sanity check the model first
 * overfits 50 examples; then a fresh one trains on the training split and greedy captions of a held-out split are
 * scored with corpus BLEU-4.
 */
@Command(name = "captioning", mixinStandardHelpOptions = true,
        description = "Trains a CNN + attention-LSTM captioner on generated scenes and reports BLEU-4.")
public final class Captioning implements Callable<Integer> {
    static final String PAD = "<pad>";
    static final String START = "<start>";
    static final String END = "<end>";
    private static final int OBJECTS = 3;

    @Option(names = "--output", description = "Folder for logs and plots (default: ${DEFAULT-VALUE}).")
    Path output = Path.of("out", "captioning");

    @Option(names = "--images", description = "Training scenes (default: ${DEFAULT-VALUE}).")
    int images = 1000;

    @Option(names = "--test-images", description = "Held-out scenes for BLEU-4 (default: ${DEFAULT-VALUE}).")
    int testImages = 100;

    @Option(names = "--image-size", description = "Side of the rendered images (default: ${DEFAULT-VALUE}).")
    int imageSize = 32;

    @Option(names = "--epochs", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs = 10;

    @Option(names = "--overfit-epochs", description = "Epochs of the 50-example sanity check (default: ${DEFAULT-VALUE}).")
    int overfitEpochs = 150;

    @Option(names = "--units", description = "Feature and LSTM width (default: ${DEFAULT-VALUE}).")
    int units = 64;

    @Option(names = "--batch-size", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize = 25;

    @Option(names = "--lr", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate = 3e-3;

    @Option(names = "--seed", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    /** Final training loss of the 50-example sanity check. */
    double overfitLoss = Double.NaN;

    /** Corpus BLEU-4 of greedy captions on the held-out split. */
    double bleu = Double.NaN;

    /** Rendered images and their caption words. */
    record Examples(float[][] images, List<List<String>> captions) {
    }

    @Override
    public Integer call() throws IOException {
        PrintStream out = System.out;
        Files.createDirectories(output);
        Examples train = scenes(images, 0);
        Examples test = scenes(testImages, 1);
        List<String> vocabulary = vocabulary(train.captions());
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < vocabulary.size(); i++) {
            ids.put(vocabulary.get(i), i);
        }
        int steps = train.captions().stream().mapToInt(List::size).max().orElse(0) + 1;
        out.printf(Locale.ROOT, "%d training and %d held-out scenes of %dx%d; vocabulary %d words; e.g. \"%s\"%n",
                images, testImages, imageSize, imageSize, vocabulary.size(), String.join(" ", train.captions().get(0)));

        int few = Math.min(50, images);
        out.printf(Locale.ROOT, "--- sanity check: overfitting %d examples for %d epochs ---%n", few, overfitEpochs);
        CaptionModel small = new CaptionModel(vocabulary.size(), units);
        small.seed(seed);
        History h = trainer(small, true).fit(batches(train, 0, few, ids, steps), overfitEpochs);
        overfitLoss = h.get("loss").get(h.get("loss").size() - 1);
        out.printf(Locale.ROOT, "loss on the %d examples: %.4f -> %.4f%n", few, h.get("loss").get(0), overfitLoss);

        out.printf(Locale.ROOT, "--- training on %d scenes for %d epochs ---%n", images, epochs);
        CaptionModel model = new CaptionModel(vocabulary.size(), units);
        model.seed(seed + 1);
        History full = trainer(model, quiet).fit(batches(train, 0, images, ids, steps), epochs,
                batches(test, 0, testImages, ids, steps), new CsvLogger(output.resolve("training.csv")));
        Map<String, List<Double>> curves = new LinkedHashMap<>();
        curves.put("train", full.get("loss"));
        curves.put("held-out", full.get("val_loss"));
        Plots.lines(output.resolve("loss.png"), "Captioning loss (masked temporal cross-entropy)", "loss", curves);

        List<List<String>> generated = caption(model, test, vocabulary, ids, steps);
        bleu = bleu4(test.captions(), generated);
        for (int i = 0; i < Math.min(3, testImages); i++) {
            out.println("reference: " + String.join(" ", test.captions().get(i)));
            out.println("greedy:    " + String.join(" ", generated.get(i)));
        }
        Plots.imageGrid(output.resolve("held_out_examples.png"), firstImages(test, 3), imageSize, imageSize, 3, 3,
                Math.max(1, 128 / imageSize));
        out.printf(Locale.ROOT, "BLEU-4 on %d held-out scenes: %.3f%n", testImages, bleu);
        out.println("results in " + output.toAbsolutePath());
        return 0;
    }

    private Trainer trainer(CaptionModel model, boolean silent) {
        return new Trainer(model, TemporalCrossentropy.ignoring(0), new Adam(model, learningRate)).verbose(silent ? 0 : 1);
    }

    private static List<float[]> firstImages(Examples e, int n) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < Math.min(n, e.images().length); i++) {
            out.add(e.images()[i]);
        }
        return out;
    }

    /** Renders {@code n} scenes of split {@code stream} and describes each. */
    private Examples scenes(int n, int stream) {
        SceneGenerator generator = new SceneGenerator(seed, imageSize);
        Renderer renderer = new Renderer(imageSize);
        float[][] pixels = new float[n][];
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Scene scene = generator.generate(generator.random(stream, i));
            int[] hwc = renderer.renderHwc(scene);
            float[] img = new float[hwc.length];
            for (int k = 0; k < hwc.length; k++) {
                img[k] = hwc[k] / 255f;
            }
            pixels[i] = img;
            captions.add(describe(scene));
        }
        return new Examples(pixels, captions);
    }

    /** The caption words of a scene: its three leftmost objects, left to right. */
    static List<String> describe(Scene scene) {
        List<SceneObject> objects = new ArrayList<>(scene.objects());
        objects.sort(Comparator.comparingDouble(SceneObject::pixelX));
        List<String> words = new ArrayList<>();
        for (int i = 0; i < Math.min(OBJECTS, objects.size()); i++) {
            SceneObject o = objects.get(i);
            if (i > 0) {
                words.add("left");
                words.add("of");
            }
            words.add(o.size().word());
            words.add(o.color().word());
            words.add(o.material().word());
            words.add(o.shape().word());
        }
        return words;
    }

    /** Padding, start and end tokens, then the caption words in sorted order. */
    static List<String> vocabulary(List<List<String>> captions) {
        TreeSet<String> words = new TreeSet<>();
        captions.forEach(words::addAll);
        List<String> out = new ArrayList<>(List.of(PAD, START, END));
        out.addAll(words);
        return out;
    }

    /** Batches of (images, start + words) inputs with (words + end) targets, padded with 0 to {@code steps}. */
    private Iterable<Batch> batches(Examples e, int from, int to, Map<String, Integer> ids, int steps) {
        List<Integer> starts = new ArrayList<>();
        for (int i = from; i < to; i += batchSize) {
            starts.add(i);
        }
        return Batches.of(Dataset.fromList(starts), s -> {
            int end = Math.min(to, s + batchSize);
            int b = end - s;
            int per = imageSize * imageSize * 3;
            float[] x = new float[b * per];
            long[] in = new long[b * steps];
            long[] target = new long[b * steps];
            for (int i = 0; i < b; i++) {
                System.arraycopy(e.images()[s + i], 0, x, i * per, per);
                List<String> words = e.captions().get(s + i);
                in[i * steps] = ids.get(START);
                for (int t = 0; t < words.size(); t++) {
                    long id = ids.getOrDefault(words.get(t), 0);
                    target[i * steps + t] = id;
                    if (t + 1 < steps) {
                        in[i * steps + t + 1] = id;
                    }
                }
                target[i * steps + words.size()] = ids.get(END);
            }
            return new Batch(new Tensor[] {Tensor.of(x, b, imageSize, imageSize, 3), Tensor.of(in, b, steps)},
                    Tensor.of(target, b, steps));
        });
    }

    /** Greedy captions of every example, cut at the end token. */
    private List<List<String>> caption(CaptionModel model, Examples e, List<String> vocabulary, Map<String, Integer> ids,
                                       int steps) {
        List<List<String>> out = new ArrayList<>();
        int per = imageSize * imageSize * 3;
        model.eval();
        for (int s = 0; s < e.images().length; s += batchSize) {
            int b = Math.min(batchSize, e.images().length - s);
            float[] x = new float[b * per];
            for (int i = 0; i < b; i++) {
                System.arraycopy(e.images()[s + i], 0, x, i * per, per);
            }
            long[][] tokens;
            try (MemoryScope scope = MemoryScope.open(); Grad g = Grad.disabled()) {
                tokens = model.greedy(Tensor.of(x, b, imageSize, imageSize, 3), ids.get(START), steps);
            }
            for (long[] row : tokens) {
                List<String> words = new ArrayList<>();
                for (long t : row) {
                    if (t == ids.get(END)) {
                        break;
                    }
                    words.add(vocabulary.get((int) t));
                }
                out.add(words);
            }
        }
        return out;
    }

    /** Corpus BLEU-4 (Papineni et al., 2002): geometric mean of clipped 1- to 4-gram precisions times the brevity penalty. */
    static double bleu4(List<List<String>> references, List<List<String>> candidates) {
        double logSum = 0;
        long refLength = 0;
        long candLength = 0;
        for (int i = 0; i < candidates.size(); i++) {
            refLength += references.get(i).size();
            candLength += candidates.get(i).size();
        }
        for (int n = 1; n <= 4; n++) {
            long matched = 0;
            long total = 0;
            for (int i = 0; i < candidates.size(); i++) {
                Map<List<String>, Integer> ref = ngrams(references.get(i), n);
                for (Map.Entry<List<String>, Integer> e : ngrams(candidates.get(i), n).entrySet()) {
                    matched += Math.min(e.getValue(), ref.getOrDefault(e.getKey(), 0));
                    total += e.getValue();
                }
            }
            if (matched == 0 || total == 0) {
                return 0;
            }
            logSum += Math.log((double) matched / total) / 4;
        }
        double brevity = candLength >= refLength ? 1 : Math.exp(1 - (double) refLength / Math.max(1, candLength));
        return brevity * Math.exp(logSum);
    }

    private static Map<List<String>, Integer> ngrams(List<String> words, int n) {
        Map<List<String>, Integer> out = new HashMap<>();
        for (int i = 0; i + n <= words.size(); i++) {
            out.merge(List.copyOf(words.subList(i, i + n)), 1, Integer::sum);
        }
        return out;
    }
}
