package dev.tessera.data.bench;

import com.google.protobuf.ByteString;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Dataset;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.Int64List;
import dev.tessera.data.tfrecord.ExampleFeatures;
import dev.tessera.data.tfrecord.TfRecord;
import dev.tessera.data.tfrecord.TfRecordDataset;
import dev.tessera.data.tfrecord.TfRecordReader;
import dev.tessera.data.tfrecord.TfRecordWriter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Throughput of TFRecord reading with both CRC checks and tf.train.Example parsing, against a
 * plain sequential read of the same files in the same run (page cache warm for both). Two sets
 * of four shards: CLEVR-like records (602,112-byte int32 image plus ten questions and answers) and
 * MNIST-like small records (784 bytes plus a label); single-threaded with a new array per record
 * ({@code next()}) or the reader's shared buffer ({@code nextShared()}, {@code decode}), and with
 * reading + CRC on a prefetch thread (parsing on the consumer).
 * Run from the repository root after {@code mvn -q -o -pl datasets -am test-compile}:
 * {@code java -Xmx2g -cp datasets/target/test-classes:datasets/target/classes:core/target/classes:$HOME/.m2/repository/com/google/protobuf/protobuf-java/4.32.1/protobuf-java-4.32.1.jar dev.tessera.data.bench.TfRecordReadBench [repeats]}.
 */
public final class TfRecordReadBench {
    private static final int WARMUP = 2;
    private static final int SHARDS = 4;
    private static final int PREFETCH = 64;

    private TfRecordReadBench() {
    }

    public static void main(String[] args) throws IOException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("tfrecord-bench");
        try {
            measure("CLEVR-like (4 shards x 50 records: 602 KB int32 image + 10 QA)", write(dir, "clevr", 50, 224 * 224 * 3 * 4, 10),
                    repeats);
            measure("MNIST-like (4 shards x 25000 records: 784 B + label)", write(dir, "mnist", 25_000, 784, 0), repeats);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static List<Path> write(Path dir, String name, int records, int imageBytes, int questions) {
        Random r = new Random(1);
        byte[] image = new byte[imageBytes];
        List<Path> shards = new ArrayList<>();
        for (int s = 0; s < SHARDS; s++) {
            Path file = dir.resolve(name + "-" + s + ".tfrecord");
            shards.add(file);
            try (TfRecordWriter w = new TfRecordWriter(file, false)) {
                for (int i = 0; i < records; i++) {
                    r.nextBytes(image);
                    w.write(example(image, i, questions));
                }
            }
        }
        return shards;
    }

    private static Example example(byte[] image, int i, int questions) {
        Features.Builder f = Features.newBuilder()
                .putFeature("image", Feature.newBuilder().setBytesList(BytesList.newBuilder()
                        .addValue(ByteString.copyFrom(image))).build())
                .putFeature("label", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(i % 10)).build());
        if (questions > 0) {
            BytesList.Builder q = BytesList.newBuilder();
            BytesList.Builder a = BytesList.newBuilder();
            for (int k = 0; k < questions; k++) {
                q.addValue(ByteString.copyFromUtf8("Are there more large rubber cubes than small metal spheres " + k + "?"));
                a.addValue(ByteString.copyFromUtf8(k % 2 == 0 ? "yes" : "no"));
            }
            f.putFeature("question", Feature.newBuilder().setBytesList(q).build());
            f.putFeature("answer", Feature.newBuilder().setBytesList(a).build());
        }
        return Example.newBuilder().setFeatures(f).build();
    }

    /** Plain sequential read of every shard through a 1 MiB buffer with FileInputStream (the fastest plain read measured). */
    private static long plainRead(List<Path> files) throws IOException {
        byte[] buf = new byte[1 << 20];
        long sum = 0;
        for (Path file : files) {
            try (InputStream in = new FileInputStream(file.toFile())) {
                int n;
                while ((n = in.read(buf)) > 0) {
                    sum += n + buf[n - 1];
                }
            }
        }
        return sum;
    }

    /** Reads every record with both CRCs checked, without parsing. */
    private static long framingOnly(List<Path> files) {
        long sum = 0;
        for (Path file : files) {
            try (TfRecordReader r = new TfRecordReader(file)) {
                while (r.hasNext()) {
                    sum += r.next().length;
                }
            }
        }
        return sum;
    }

    /** Reads every record with both CRCs checked into the reader's reused buffer, without parsing. */
    private static long framingShared(List<Path> files) {
        long sum = 0;
        for (Path file : files) {
            try (TfRecordReader r = new TfRecordReader(file)) {
                for (var view = r.nextShared(); view != null; view = r.nextShared()) {
                    sum += view.remaining();
                }
            }
        }
        return sum;
    }

    /** Every record CRC-checked and parsed as an Example, touching the image and label. */
    private static long parsed(Dataset<TfRecord> records) {
        long sum = 0;
        try (CloseableIterator<TfRecord> it = records.iterator()) {
            while (it.hasNext()) {
                ExampleFeatures f = it.next().features();
                sum += f.bytes("image").size() + f.int64("label");
            }
        }
        return sum;
    }

    private static long run(int variant, List<Path> files) throws IOException {
        return switch (variant) {
            case 0 -> plainRead(files);
            case 1 -> framingOnly(files);
            case 2 -> framingShared(files);
            case 3 -> parsed(TfRecordDataset.of(files, false));
            case 4 -> sum(TfRecordDataset.of(files, false).decode(f -> f.bytes("image").size() + f.int64("label")));
            default -> parsed(TfRecordDataset.of(files, false).prefetch(PREFETCH));
        };
    }

    private static long sum(Dataset<Long> values) {
        long sum = 0;
        try (CloseableIterator<Long> it = values.iterator()) {
            while (it.hasNext()) {
                sum += it.next();
            }
        }
        return sum;
    }

    private static void measure(String label, List<Path> files, int repeats) throws IOException {
        double mb = 0;
        for (Path f : files) {
            mb += Files.size(f) / 1e6;
        }
        String[] names = {"plain sequential read (1 thread)            ", "TFRecord + CRC, new array per record        ",
            "TFRecord + CRC, shared buffer (nextShared)  ", "TFRecord + CRC + Example, new array         ",
            "TFRecord + CRC + Example, shared (decode)   ", "Example, new array, framing on prefetch thread"};
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            for (int v = 0; v < names.length; v++) {
                sink += run(v, files);
            }
        }
        // Wall-clock and this thread's CPU time (user + system) are both kept: on a shared machine the
        // CPU-time rate is the stable one for single-threaded variants (not for the prefetching one).
        double[][] wall = new double[names.length][repeats];
        double[][] cpu = new double[names.length][repeats];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats; i++) {
            // Rotate the order and collect garbage first, so no variant always pays for another's GC.
            for (int k = 0; k < names.length; k++) {
                int v = (i + k) % names.length;
                System.gc();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sink += run(v, files);
                wall[v][i] = mb / ((System.nanoTime() - t0) / 1e9);
                cpu[v][i] = mb / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
            }
        }
        System.out.printf("%s, %.0f MB, median of %d, %d cores (MB/s of wall time | MB/s of CPU time):%n", label, mb,
                repeats, Runtime.getRuntime().availableProcessors());
        for (int v = 0; v < names.length; v++) {
            double w = median(wall[v]);
            double c = median(cpu[v]);
            String cpuColumn = v < names.length - 1 ? String.format("%7.0f (%3.0f%%)", c, 100 * c / median(cpu[0])) : "      -";
            System.out.printf("  %s %7.0f (%3.0f%%) | %s%n", names[v], w, 100 * w / median(wall[0]), cpuColumn);
        }
        System.out.println("  (checksum " + (sink & 0xFF) + ")");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
