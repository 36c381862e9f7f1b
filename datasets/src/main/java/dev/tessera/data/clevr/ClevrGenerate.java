package dev.tessera.data.clevr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates a CLEVR-style question-answering dataset in the coursework's TFRecord format: a "train" and a
 * "validation" split of rendered scenes with ten questions each, then prints and returns the answer
 * statistics and the majority-answer baseline. Image {@code i} of a split depends only on the seed, the split
 * and {@code i}, so the output is the same for any number of threads.
 *
 * <pre>
 * java -cp ... dev.tessera.data.clevr.ClevrGenerate --output data/clevr --train 1000 --validation 200 \
 *     --shards 4 --seed 0 --image-size 224 [--gzip] [--threads N]
 * </pre>
 */
public final class ClevrGenerate {
    /** Split names and the random stream each uses. */
    static final List<String> SPLITS = List.of("train", "validation");
    private static final int CHUNK = 64;
    private static final String TOOL = "ClevrGenerate";

    /**
     * What to generate.
     *
     * @param threads worker threads rendering images (writing stays on the calling thread)
     */
    public record Options(Path output, int trainImages, int validationImages, int shards, long seed, int imageSize,
                          boolean gzip, int threads) {
        /** Checks the values. */
        public Options {
            if (output == null) {
                throw new IllegalArgumentException("ClevrGenerate: an output directory is required");
            }
            if (trainImages < 1 || validationImages < 0 || shards < 1 || threads < 1) {
                throw new IllegalArgumentException("ClevrGenerate: need train >= 1, validation >= 0, shards >= 1, "
                        + "threads >= 1 — got " + trainImages + ", " + validationImages + ", " + shards + ", " + threads);
            }
            if (imageSize < 16) {
                throw new IllegalArgumentException("ClevrGenerate: image size must be at least 16 — got " + imageSize);
            }
        }

        /** The defaults: 1000 training and 200 validation images of 224 pixels in 4 shards, seed 0, all cores. */
        public static Options defaults(Path output) {
            return new Options(output, 1000, 200, 4, 0, 224, false, Runtime.getRuntime().availableProcessors());
        }
    }

    private ClevrGenerate() {
    }

    /** Writes both splits under {@code options.output()} and returns their statistics. */
    public static GenerationReport run(Options options) throws IOException {
        Map<String, AnswerStatistics> stats = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "clevr-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int s = 0; s < SPLITS.size(); s++) {
                int count = s == 0 ? options.trainImages() : options.validationImages();
                if (count > 0) {
                    stats.put(SPLITS.get(s), writeSplit(options, s, count, pool));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new GenerationReport(stats);
    }

    private static AnswerStatistics writeSplit(Options o, int stream, int count, ExecutorService pool)
            throws IOException {
        SceneGenerator scenes = new SceneGenerator(o.seed(), o.imageSize());
        QuestionGenerator questions = new QuestionGenerator();
        ThreadLocal<Renderer> renderers = ThreadLocal.withInitial(() -> new Renderer(o.imageSize()));
        AnswerStatistics stats = new AnswerStatistics();
        String split = SPLITS.get(stream);
        try (ClevrWriter writer = new ClevrWriter(o.output(), split, Math.min(o.shards(), count), count, o.gzip())) {
            for (int start = 0; start < count; start += CHUNK) {
                List<Future<Generated>> chunk = new ArrayList<>();
                for (int i = start; i < Math.min(count, start + CHUNK); i++) {
                    long index = i;
                    chunk.add(pool.submit(() -> {
                        SplittableRandom rng = scenes.random(stream, index);
                        Scene scene = scenes.generate(rng);
                        List<Question> qs = questions.generate(scene, rng);
                        int[] hwc = renderers.get().renderHwc(scene);
                        return new Generated(ClevrRecord.toExample(hwc, qs).toByteArray(), qs);
                    }));
                }
                for (Future<Generated> f : chunk) {
                    Generated g = await(f, split);
                    writer.write(g.example());
                    g.questions().forEach(stats::add);
                }
            }
        }
        return stats;
    }

    private record Generated(byte[] example, List<Question> questions) {
    }

    private static Generated await(Future<Generated> f, String split) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("ClevrGenerate: interrupted while generating " + split, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException("ClevrGenerate: generating " + split + " failed", e.getCause());
        }
    }

    /** Parses the flags in the class comment, generates, and prints the report. */
    public static void main(String[] args) throws IOException {
        Options d = Options.defaults(Path.of("clevr-data"));
        Map<String, String> flags = parseFlags(args);
        Options o = new Options(Path.of(flags.getOrDefault("output", d.output().toString())),
                Flags.integer(flags, "train", d.trainImages(), TOOL),
                Flags.integer(flags, "validation", d.validationImages(), TOOL),
                Flags.integer(flags, "shards", d.shards(), TOOL), Flags.number(flags, "seed", d.seed(), TOOL),
                Flags.integer(flags, "image-size", d.imageSize(), TOOL), flags.containsKey("gzip"),
                Flags.integer(flags, "threads", d.threads(), TOOL));
        long t0 = System.nanoTime();
        GenerationReport report = run(o);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "wrote %d + %d images of %dx%d to %s in %.1f s (%.0f images/s)%n",
                o.trainImages(), o.validationImages(), o.imageSize(), o.imageSize(), o.output().toAbsolutePath(),
                seconds, (o.trainImages() + o.validationImages()) / seconds);
        System.out.print(report);
    }

    static Map<String, String> parseFlags(String[] args) {
        return Flags.parse(TOOL, args, List.of("output", "train", "validation", "shards", "seed", "image-size",
                "threads"), List.of("gzip"));
    }
}
