package dev.tessera.data.bench;

import dev.tessera.Tensor;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Dataset;
import dev.tessera.data.Pair;
import dev.tessera.data.clevr.ClevrGenerate;
import dev.tessera.data.clevr.ClevrQa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Throughput of the CLEVR question-answering training pipeline ({@link ClevrQa}: TFRecord reading, question
 * tokenisation and answer lookup, one question-answer pair per image, shuffle, padded batch) at batch 64, without
 * and with prefetch in the same run: one warm-up epoch per mode, then {@code --epochs} timed epochs per mode,
 * alternating which mode goes first, over a CLEVR-style dataset generated with {@link ClevrGenerate} into a
 * temporary directory (generation is timed and reported separately). Every batch is read back (answers, questions,
 * two pixels) before its tensors are closed. Run from the repository root after
 * {@code mvn -q -o -pl datasets -am test-compile} (tessera-cpu comes in as the datasets' test dependency):
 * {@code M=$HOME/.m2/repository; java -Xmx3g -cp datasets/target/test-classes:datasets/target/classes:core/target/classes:cpu-backend/target/classes:$M/com/google/protobuf/protobuf-java/4.32.1/protobuf-java-4.32.1.jar:$M/org/bytedeco/javacpp/1.5.13/javacpp-1.5.13.jar:$M/org/bytedeco/javacpp/1.5.13/javacpp-1.5.13-linux-x86_64.jar:$M/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13.jar:$M/org/bytedeco/openblas/0.3.31-1.5.13/openblas-0.3.31-1.5.13-linux-x86_64.jar dev.tessera.data.bench.ClevrPipelineBench [--images 1536] [--image-size 224] [--epochs 5] [--batch 64] [--prefetch 2]}.
 */
public final class ClevrPipelineBench {
    private static final List<String> FLAGS = List.of("images", "image-size", "epochs", "batch", "prefetch");

    private ClevrPipelineBench() {
    }

    public static void main(String[] args) throws IOException {
        int images = flag(args, "images", 1536);
        int imageSize = flag(args, "image-size", 224);
        int epochs = flag(args, "epochs", 5);
        int batch = flag(args, "batch", 64);
        int prefetch = flag(args, "prefetch", 2);
        int threads = Runtime.getRuntime().availableProcessors();
        Path dir = Files.createTempDirectory("clevr-pipeline-bench");
        try {
            long t0 = System.nanoTime();
            ClevrGenerate.run(new ClevrGenerate.Options(dir, images, 0, 4, 0, imageSize, false, threads));
            double generation = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "generated %d images of %dx%d (10 questions each) in %.1f s (%.0f images/s, "
                    + "%d threads), %.0f MB of TFRecords%n", images, imageSize, imageSize, generation,
                    images / generation, threads, megabytes(dir));

            ClevrQa.Options options = ClevrQa.Options.defaults().withBatchSize(batch);
            long t1 = System.nanoTime();
            ClevrQa adapted = ClevrQa.open(dir, options);
            System.out.printf(Locale.ROOT, "adapted the question vocabulary (%d) and answers (%d) in %.1f s%n",
                    adapted.vectorizer().vocabularySize(), adapted.answers().vocabularySize(),
                    (System.nanoTime() - t1) / 1e9);
            String[] names = {"no prefetch          ", String.format(Locale.ROOT, "%-21s", "prefetch " + prefetch + " batches")};
            Dataset<Pair<Pair<Tensor, Tensor>, Tensor>>[] pipelines = pipelines(dir, options, adapted, prefetch);
            long sink = 0;
            long batches = 0;
            for (Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> p : pipelines) {
                long[] warm = epoch(p);
                batches = warm[0];
                sink += warm[1];
            }
            double[][] rate = new double[2][epochs];
            for (int e = 0; e < epochs; e++) {
                // Alternate which mode goes first and collect garbage before each, so neither always pays for the other.
                for (int k = 0; k < 2; k++) {
                    int mode = (e + k) % 2;
                    System.gc();
                    long start = System.nanoTime();
                    long[] result = epoch(pipelines[mode]);
                    rate[mode][e] = result[0] / ((System.nanoTime() - start) / 1e9);
                    sink += result[1];
                }
            }
            System.out.printf(Locale.ROOT, "batch %d, %d batches per epoch, median of %d epochs after 1 warm-up, "
                    + "%d cores:%n", batch, batches, epochs, threads);
            for (int mode = 0; mode < 2; mode++) {
                double m = median(rate[mode]);
                System.out.printf(Locale.ROOT, "  %s %7.2f batches/s %8.1f images/s%n", names[mode], m,
                        m * images / batches);
            }
            System.out.printf(Locale.ROOT, "  prefetch / no prefetch: %.2fx%n", median(rate[1]) / median(rate[0]));
            System.out.println("  (checksum " + (sink & 0xFF) + ")");
        } finally {
            delete(dir);
        }
    }

    @SuppressWarnings("unchecked")
    private static Dataset<Pair<Pair<Tensor, Tensor>, Tensor>>[] pipelines(Path dir, ClevrQa.Options options,
                                                                         ClevrQa adapted, int prefetch) {
        return new Dataset[] {
            ClevrQa.open(dir, options.withPrefetch(0), adapted.vectorizer(), adapted.answers()).batches(ClevrQa.TRAIN),
            ClevrQa.open(dir, options.withPrefetch(prefetch), adapted.vectorizer(), adapted.answers())
                    .batches(ClevrQa.TRAIN)};
    }

    /** One epoch (a new iterator draws new pairs); returns the number of batches and a checksum of their values. */
    private static long[] epoch(Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> pipeline) {
        long batches = 0;
        long sum = 0;
        try (CloseableIterator<Pair<Pair<Tensor, Tensor>, Tensor>> it = pipeline.iterator()) {
            while (it.hasNext()) {
                Pair<Pair<Tensor, Tensor>, Tensor> b = it.next();
                try (Tensor questions = b.first().first(); Tensor images = b.first().second();
                     Tensor answers = b.second()) {
                    sum += Arrays.stream(answers.toLongArray()).sum() + Arrays.stream(questions.toIntArray()).sum();
                    long[] last = images.shape().toArray();
                    for (int i = 0; i < last.length; i++) {
                        last[i]--;
                    }
                    sum += Math.round(255 * (images.getDouble(0, 0, 0, 0) + images.getDouble(last)));
                }
                batches++;
            }
        }
        return new long[] {batches, sum};
    }

    private static int flag(String[] args, String name, int fallback) {
        int value = fallback;
        for (int i = 0; i < args.length; i += 2) {
            String given = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!FLAGS.contains(given) || i + 1 == args.length) {
                throw new IllegalArgumentException("ClevrPipelineBench: expected --name value pairs with names "
                        + FLAGS + " — got " + String.join(" ", args));
            }
            if (given.equals(name)) {
                value = Integer.parseInt(args[i + 1]);
                if (value < 1) {
                    throw new IllegalArgumentException("ClevrPipelineBench: --" + name + " must be >= 1 — got " + value);
                }
            }
        }
        return value;
    }

    private static double megabytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / 1e6;
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
