package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import dev.tessera.Shape;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads files written by TensorBoard's TensorFlow-compatible RecordWriter (fixtures made by
 * src/test/python/make_tfrecord_golden.py) and writes the same payloads back byte for byte.
 */
class TfRecordInteropTest {
    @TempDir
    Path dir;

    private static Path golden(String name) throws Exception {
        return Path.of(TfRecordInteropTest.class.getResource("/tfrecord-golden/" + name).toURI());
    }

    private static List<byte[]> records(Path f) {
        List<byte[]> out = new ArrayList<>();
        try (TfRecordReader r = new TfRecordReader(f)) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void readsExamplesFramedByTensorBoard() throws Exception {
        for (String name : new String[] {"tensorboard-writer.tfrecord", "tensorboard-writer.tfrecord.gz"}) {
            List<byte[]> recs = records(golden(name));
            assertEquals(3, recs.size(), name);
            ExampleFeatures first = ExampleFeatures.parse(recs.get(0), null);
            assertArrayEquals(new long[] {7, -1, 1L << 40}, first.int64s("label"));
            assertArrayEquals(new float[] {0.5f, -2.25f}, first.floats("score", 2));
            List<ByteString> text = first.bytesList("text", 2);
            assertEquals("héllo", text.get(0).toString(StandardCharsets.UTF_8));
            assertEquals(0, text.get(1).size());
            assertEquals(0, recs.get(1).length);
            assertFalse(ExampleFeatures.parse(recs.get(1), null).has("label"));
            int[] image = ExampleFeatures.parse(recs.get(2), null).ints("image", RawType.UINT8, Shape.of(32, 32));
            for (int i = 0; i < image.length; i++) {
                assertEquals(i % 256, image[i]);
            }
        }
    }

    @Test
    void writerReproducesTensorBoardsBytesExactly() throws Exception {
        Path mine = dir.resolve("mine.tfrecord");
        try (TfRecordWriter w = new TfRecordWriter(mine, false)) {
            records(golden("tensorboard-writer.tfrecord")).forEach(w::write);
        }
        assertArrayEquals(Files.readAllBytes(golden("tensorboard-writer.tfrecord")), Files.readAllBytes(mine));
    }
}
