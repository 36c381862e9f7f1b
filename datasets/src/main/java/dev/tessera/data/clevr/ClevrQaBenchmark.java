package dev.tessera.data.clevr;

import dev.tessera.Tensor;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Pair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measures the CLEVR pipeline's training batches per second, without and with prefetch, optionally while a
 * simulated training step of {@code --step-ms} milliseconds (a sleep) consumes each batch (prefetch only
 * helps when the consumer does work). Uses {@code --dir} when given, else generates {@code --images} images into a temporary
 * directory first. Each measurement warms up for {@code --warmup} batches, then times {@code --batches}.
 *
 * <pre>
 * java -cp ... dev.tessera.data.clevr.ClevrQaBenchmark [--dir DIR] [--images 512] [--image-size 224]
 *     [--batch 64] [--batches 40] [--warmup 8] [--step-ms 0]
 * </pre>
 */
public final class ClevrQaBenchmark {
    private ClevrQaBenchmark() {
    }

    /** Runs the benchmark and prints one line per configuration. */
    public static void main(String[] args) throws IOException {
        Map<String, String> f = Flags.parse("ClevrQaBenchmark", args,
                List.of("dir", "images", "image-size", "batch", "batches", "warmup", "step-ms"), List.of());
        int batch = Flags.integer(f, "batch", 64, "ClevrQaBenchmark");
        int batches = Flags.integer(f, "batches", 40, "ClevrQaBenchmark");
        int warmup = Flags.integer(f, "warmup", 8, "ClevrQaBenchmark");
        int stepMs = Flags.integer(f, "step-ms", 0, "ClevrQaBenchmark");
        Path dir;
        if (f.containsKey("dir")) {
            dir = Path.of(f.get("dir"));
        } else {
            dir = Files.createTempDirectory("clevr-bench");
            int images = Flags.integer(f, "images", 512, "ClevrQaBenchmark");
            int size = Flags.integer(f, "image-size", 224, "ClevrQaBenchmark");
            ClevrGenerate.run(new ClevrGenerate.Options(dir, images, 0, 4, 0, size, false,
                    Runtime.getRuntime().availableProcessors()));
        }
        ClevrQa.Options base = ClevrQa.Options.defaults().withBatchSize(batch);
        ClevrQa qa = ClevrQa.open(dir, base);
        System.out.println(qa.describe());
        for (int prefetch : new int[] {0, 2}) {
            ClevrQa pipeline = ClevrQa.open(dir, base.withPrefetch(prefetch), qa.vectorizer(), qa.answers());
            double rate = measure(pipeline, warmup, batches, stepMs);
            System.out.printf(Locale.ROOT, "batch %d, prefetch %d, step %d ms: %.2f batches/s (%.0f images/s)%n",
                    batch, prefetch, stepMs, rate, rate * batch);
        }
    }

    /** Batches per second over {@code timed} batches after {@code warmup}, cycling epochs as needed. */
    static double measure(ClevrQa qa, int warmup, int timed, int stepMs) {
        var data = qa.batches(ClevrQa.TRAIN).repeat();
        try (CloseableIterator<Pair<Pair<Tensor, Tensor>, Tensor>> it = data.iterator()) {
            for (int i = 0; i < warmup; i++) {
                consume(it.next(), stepMs);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < timed; i++) {
                consume(it.next(), stepMs);
            }
            return timed / ((System.nanoTime() - t0) / 1e9);
        }
    }

    private static void consume(Pair<Pair<Tensor, Tensor>, Tensor> b, int stepMs) {
        if (stepMs > 0) {
            // NOTE: sleeping models a step that leaves the CPU to the pipeline (e.g. one running on a GPU).
            try {
                Thread.sleep(stepMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("ClevrQaBenchmark: interrupted", e);
            }
        }
        b.first().first().close();
        b.first().second().close();
        b.second().close();
    }
}
