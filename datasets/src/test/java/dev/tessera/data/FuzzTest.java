package dev.tessera.data;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.protobuf.ByteString;
import dev.tessera.data.example.BytesList;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.FloatList;
import dev.tessera.data.example.Int64List;
import dev.tessera.data.idx.IdxReader;
import dev.tessera.data.tfrecord.ExampleFeatures;
import dev.tessera.data.tfrecord.TfRecordReader;
import dev.tessera.data.tfrecord.TfRecordWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mutates valid TFRecord and IDX files 1,000 times each (seeded: flipped bytes, truncation,
 * huge lengths with and without a matching CRC, GZIP variants) and checks the readers raise only
 * {@link DataFileException}, naming the file — never an OutOfMemoryError or another exception from inside a parser.
 */
class FuzzTest {
    private static final int ROUNDS = 1000;

    @TempDir
    Path dir;

    private static Example example(Random r) {
        byte[] img = new byte[12 + r.nextInt(64)];
        r.nextBytes(img);
        return Example.newBuilder().setFeatures(Features.newBuilder()
                .putFeature("image", Feature.newBuilder().setBytesList(BytesList.newBuilder().addValue(ByteString.copyFrom(img))).build())
                .putFeature("label", Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(r.nextInt(10))).build())
                .putFeature("score", Feature.newBuilder().setFloatList(FloatList.newBuilder().addValue(r.nextFloat())).build()))
                .build();
    }

    /** One seeded mutation: flips, truncation, or a huge value written over an 8-byte (TFRecord) or 4-byte (IDX) field. */
    private static byte[] mutate(byte[] valid, Random r, int[] fieldOffsets, boolean tfrecordLengths) {
        byte[] b = valid.clone();
        switch (r.nextInt(5)) {
            case 0 -> {
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    b[r.nextInt(b.length)] ^= (byte) (1 + r.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, r.nextInt(b.length));
            case 2, 3 -> {
                int at = fieldOffsets[r.nextInt(fieldOffsets.length)];
                long huge = r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(1000) : (1L << (20 + r.nextInt(40))) + r.nextInt(1000);
                ByteBuffer buf = ByteBuffer.wrap(b);
                if (tfrecordLengths) {
                    buf.order(ByteOrder.LITTLE_ENDIAN).putLong(at, huge);
                    if (r.nextBoolean()) {
                        // Recompute the length CRC, so only the size checks stand between the length and an allocation.
                        buf.putInt(at + 8, dev.tessera.data.tfrecord.Crc32c.maskedCrc(b, at, 8));
                    }
                } else {
                    buf.putInt(at, (int) huge | 0x4000_0000);
                }
            }
            default -> {
                int at = r.nextInt(b.length);
                byte[] junk = new byte[1 + r.nextInt(16)];
                r.nextBytes(junk);
                System.arraycopy(junk, 0, b, at, Math.min(junk.length, b.length - at));
            }
        }
        return b;
    }

    /** Runs {@code readers} in turn, one per mutated file. */
    @SafeVarargs
    private void fuzz(String name, byte[] valid, int[] fieldOffsets, boolean tfrecord, long seed, Consumer<Path>... readers)
            throws Exception {
        Random r = new Random(seed);
        int reported = 0;
        for (int i = 0; i < ROUNDS; i++) {
            byte[] m = mutate(valid, r, fieldOffsets, tfrecord);
            boolean gz = i % 8 >= 6;
            Path f = dir.resolve(name + (gz ? ".gz" : ""));
            Files.write(f, gz ? TestFiles.gzip(m) : m);
            if (gz && r.nextBoolean()) {
                byte[] g = Files.readAllBytes(f);
                g[10 + r.nextInt(g.length - 10)] ^= (byte) (1 + r.nextInt(255));
                Files.write(f, g);
            }
            try {
                readers[i % readers.length].accept(f);
            } catch (DataFileException e) {
                reported++;
                assertTrue(e.getMessage().contains(f.toString()), "round " + i + ": " + e.getMessage());
            } catch (Throwable t) {
                fail("round " + i + " (seed " + seed + ") of " + name + " escaped as " + t, t);
            }
        }
        assertTrue(reported > ROUNDS / 4, "only " + reported + " of " + ROUNDS + " mutations were detected");
    }

    @Test
    void mutatedTfRecordFilesRaiseOnlyDataFileException() throws Exception {
        Random r = new Random(11);
        Path valid = dir.resolve("valid.tfrecord");
        int[] headers = new int[8];
        long offset = 0;
        try (TfRecordWriter w = new TfRecordWriter(valid, false)) {
            for (int i = 0; i < headers.length; i++) {
                headers[i] = (int) offset;
                byte[] rec = example(r).toByteArray();
                w.write(rec);
                offset += rec.length + 16;
            }
        }
        Consumer<Path> strict = f -> {
            try (TfRecordReader rd = new TfRecordReader(f)) {
                while (rd.hasNext()) {
                    ExampleFeatures ex = ExampleFeatures.parse(rd.next(), rd.lastLocation());
                    ex.bytes("image");
                    ex.int64("label");
                    ex.floats("score", 1);
                }
            }
        };
        Consumer<Path> lenient = f -> {
            try (TfRecordReader rd = new TfRecordReader(f, TfRecordReader.Options.defaults().skipCorrupt(true))) {
                while (rd.hasNext()) {
                    ExampleFeatures.parse(rd.next(), rd.lastLocation()).int64s("label");
                }
            }
        };
        fuzz("fuzz.tfrecord", Files.readAllBytes(valid), headers, true, 1234, strict, lenient);
    }

    @Test
    void mutatedIdxFilesRaiseOnlyDataFileException() throws Exception {
        int n = 20;
        ByteBuffer b = ByteBuffer.allocate(16 + n * 28 * 28);
        b.putInt(IdxReader.IMAGES_MAGIC).putInt(n).putInt(28).putInt(28);
        byte[] pixels = new byte[n * 28 * 28];
        new Random(5).nextBytes(pixels);
        b.put(pixels);
        fuzz("fuzz-idx3-ubyte", b.array(), new int[] {0, 4, 8, 12}, false, 5678, f -> IdxReader.read(f));
    }
}
