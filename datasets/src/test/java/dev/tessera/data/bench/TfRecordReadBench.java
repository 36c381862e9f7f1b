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
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * Throughput of TFRecord reading with both CRC checks and tf.train.Example parsing, against a
 * plain sequential read of the same file in the same run (page cache warm for both). Two files:
 * CLEVR-like records (602,112-byte int32 image plus ten questions and answers) and MNIST-like
 * small records (784 bytes plus a label).
 * Run: {@code java -cp <classes> dev.tessera.data.bench.TfRecordReadBench [repeats]}.
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

    /** Plain sequential read through a 1 MiB buffer; returns a checksum so the JIT keeps the work. */
    private static long plainRead(Path file) throws IOException {
        byte[] buf = new byte[1 << 20];
        long sum = 0;
        try (InputStream in = Files.newInputStream(file)) {
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
        double[] plain = new double[repeats];
        double[] framing = new double[repeats];
        double[] tf = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long t0 = System.nanoTime();
            sink += plainRead(file);
            long t1 = System.nanoTime();
            sink += framingOnly(file);
            long t2 = System.nanoTime();
            sink += tfrecordRead(file);
            long t3 = System.nanoTime();
            plain[i] = mb / ((t1 - t0) / 1e9);
            framing[i] = mb / ((t2 - t1) / 1e9);
            tf[i] = mb / ((t3 - t2) / 1e9);
        }
        double p = median(plain);
        double f = median(framing);
        double t = median(tf);
        System.out.printf("%s, %.0f MB file, median of %d:%n", label, mb, repeats);
        System.out.printf("  plain sequential read      %8.0f MB/s%n", p);
        System.out.printf("  TFRecord + CRC             %8.0f MB/s  (%.0f%% of plain)%n", f, 100 * f / p);
        System.out.printf("  TFRecord + CRC + Example   %8.0f MB/s  (%.0f%% of plain)%n", t, 100 * t / p);
        System.out.println("  (checksum " + (sink & 0xFF) + ")");
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
