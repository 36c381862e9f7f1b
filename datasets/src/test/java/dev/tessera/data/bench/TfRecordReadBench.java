package dev.tessera.data.bench;

import com.google.protobuf.ByteString;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.Int64List;
import dev.tessera.data.tfrecord.ExampleFeatures;
import dev.tessera.data.tfrecord.TfRecordReader;
import dev.tessera.data.tfrecord.TfRecordWriter;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Throughput of TFRecord reading with both CRC checks and tf.train.Example parsing, against a
 * plain sequential read of the same file in the same run (page cache warm for both). Two files:
 * CLEVR-like records (602,112-byte int32 image plus ten questions and answers) and MNIST-like
 * small records (784 bytes plus a label).
 * Run from the repository root after {@code mvn -q -o -pl datasets -am test-compile}:
 * {@code java -Xmx2g -cp datasets/target/test-classes:datasets/target/classes:core/target/classes:$HOME/.m2/repository/com/google/protobuf/protobuf-java/4.32.1/protobuf-java-4.32.1.jar dev.tessera.data.bench.TfRecordReadBench [repeats]}.
 */
public final class TfRecordReadBench {
    private static final int WARMUP = 2;

    private TfRecordReadBench() {
    }

    public static void main(String[] args) throws IOException {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path dir = Files.createTempDirectory("tfrecord-bench");
        try {
            Path clevr = dir.resolve("clevr-like.tfrecord");
            write(clevr, 200, 224 * 224 * 3 * 4, 10);
            Path small = dir.resolve("mnist-like.tfrecord");
            write(small, 100_000, 784, 0);
            measure("CLEVR-like (200 x 602 KB image + 10 QA)", clevr, repeats);
            measure("MNIST-like (100000 x 784 B + label)", small, repeats);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private static void write(Path file, int records, int imageBytes, int questions) {
        Random r = new Random(1);
        byte[] image = new byte[imageBytes];
        try (TfRecordWriter w = new TfRecordWriter(file, false)) {
            for (int i = 0; i < records; i++) {
                r.nextBytes(image);
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
                w.write(Example.newBuilder().setFeatures(f).build());
            }
        }
    }

    /** Plain sequential read through a 1 MiB buffer with FileInputStream (the fastest plain read measured); returns a checksum so the JIT keeps the work. */
    private static long plainRead(Path file) throws IOException {
        byte[] buf = new byte[1 << 20];
        long sum = 0;
        try (InputStream in = new FileInputStream(file.toFile())) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sum += n + buf[n - 1];
            }
        }
        return sum;
    }

    /** Reads every record with both CRCs checked, without parsing. */
    private static long framingOnly(Path file) {
        long sum = 0;
        try (TfRecordReader r = new TfRecordReader(file)) {
            while (r.hasNext()) {
                sum += r.next().length;
            }
        }
        return sum;
    }

    /** Reads every record (both CRCs checked) and parses it as an Example, touching the image and label. */
    private static long tfrecordRead(Path file) {
        long sum = 0;
        try (TfRecordReader r = new TfRecordReader(file)) {
            while (r.hasNext()) {
                ExampleFeatures f = ExampleFeatures.parse(r.next(), r.lastLocation());
                sum += f.bytes("image").size() + f.int64("label");
            }
        }
        return sum;
    }

    private static void measure(String label, Path file, int repeats) throws IOException {
        double mb = Files.size(file) / 1e6;
        long sink = 0;
        for (int i = 0; i < WARMUP; i++) {
            sink += plainRead(file) + framingOnly(file) + tfrecordRead(file);
        }
        // Rows: plain, framing, framing + parse; columns: repeats. Wall-clock and this thread's CPU time
        // (user + system) are both kept: on a shared machine the CPU-time rate is the stable one.
        double[][] wall = new double[3][repeats];
        double[][] cpu = new double[3][repeats];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (int i = 0; i < repeats; i++) {
            // Rotate the order and collect garbage first, so no variant always pays for another's GC.
            for (int k = 0; k < 3; k++) {
                int which = (i + k) % 3;
                System.gc();
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                sink += which == 0 ? plainRead(file) : which == 1 ? framingOnly(file) : tfrecordRead(file);
                wall[which][i] = mb / ((System.nanoTime() - t0) / 1e9);
                cpu[which][i] = mb / ((threads.getCurrentThreadCpuTime() - c0) / 1e9);
            }
        }
        String[] names = {"plain sequential read   ", "TFRecord + CRC          ", "TFRecord + CRC + Example"};
        System.out.printf("%s, %.0f MB file, median of %d (MB/s of wall time | MB/s of CPU time):%n", label, mb, repeats);
        for (int v = 0; v < 3; v++) {
            double w = median(wall[v]);
            double c = median(cpu[v]);
            System.out.printf("  %s %7.0f (%3.0f%%) | %7.0f (%3.0f%%)%n", names[v], w, 100 * w / median(wall[0]),
                    c, 100 * c / median(cpu[0]));
        }
        System.out.println("  (checksum " + (sink & 0xFF) + ")");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
