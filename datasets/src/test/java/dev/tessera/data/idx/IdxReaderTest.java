package dev.tessera.data.idx;

import static dev.tessera.data.TestFiles.gzip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.data.CpuBackend;
import dev.tessera.data.DataFileException;
import dev.tessera.data.LabeledImages;
import dev.tessera.data.Pair;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads IDX files: the shipped Fashion-MNIST slice, the full set when installed, and malformed files. */
class IdxReaderTest {
    static final Path FULL = Path.of("/usr/share/datasets/fashion-mnist");

    @TempDir
    Path dir;

    static Path slice() throws URISyntaxException {
        return Path.of(IdxReaderTest.class.getResource("/fashion-mnist-slice").toURI());
    }

    /** An IDX file with the given magic, dims and payload. */
    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    private Path write(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    @Test
    void readsTheShippedFashionMnistSlice() throws Exception {
        Mnist m = Mnist.load(slice());
        assertEquals(60, m.train().size());
        assertEquals(40, m.test().size());
        assertEquals(Shape.of(28, 28, 1), m.train().imageShape());
        assertArrayEquals(new long[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(m.train().labels(), 10));
        assertArrayEquals(new long[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(m.test().labels(), 10));
        // Values read from the source file with Python's gzip module.
        assertEquals(217, m.train().pixel(0, 14, 14, 0));
        int sum = 0;
        for (int h = 0; h < 28; h++) {
            for (int w = 0; w < 28; w++) {
                sum += m.train().pixel(0, h, w, 0);
            }
        }
        assertEquals(76247, sum);
        float[] scaled = m.train().scaledPixels(0, 1);
        assertEquals(217 / 255f, scaled[14 * 28 + 14]);
        for (float v : scaled) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }

    @Test
    void readsTheFullFashionMnistWhenInstalled() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(FULL),
                "dataset-fashion-mnist is not installed (apt-get install dataset-fashion-mnist); the shipped slice is tested instead");
        Mnist full = Mnist.load(FULL);
        assertEquals(60_000, full.train().size());
        assertEquals(10_000, full.test().size());
        long[] perClass = new long[10];
        for (long l : full.train().labels()) {
            perClass[(int) l]++;
        }
        long[] sixThousand = new long[10];
        Arrays.fill(sixThousand, 6000);
        assertArrayEquals(sixThousand, perClass, "Fashion-MNIST's training set is balanced");
        LabeledImages slice = Mnist.load(slice()).train();
        assertArrayEquals(slice.scaledPixels(0, 60), full.train().scaledPixels(0, 60));
        assertArrayEquals(slice.labels(), Arrays.copyOf(full.train().labels(), 60));
    }

    @Test
    void plainAndGzipFilesReadTheSame() throws Exception {
        byte[] file = idx(IdxReader.LABELS_MAGIC, new int[] {4}, new byte[] {3, 1, (byte) 255, 0});
        assertArrayEquals(new long[] {3, 1, 255, 0}, IdxReader.readLabels(write("l", file)));
        assertArrayEquals(new long[] {3, 1, 255, 0}, IdxReader.readLabels(write("l.gz", gzip(file))));
    }

    @Test
    void wrongMagicNamesBothNumbersAndTheFile() throws Exception {
        Path images = write("images", idx(IdxReader.IMAGES_MAGIC, new int[] {1, 1, 2}, new byte[2]));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabels(images));
        assertEquals("idx: wrong magic number 0x00000803, expected 0x00000801 (labels) — in " + images
                + ", header at byte offset 0", e.getMessage());
        Path floats = write("floats", idx(0x00000D01, new int[] {1}, new byte[4]));
        assertThrows(DataFileException.class, () -> IdxReader.read(floats));
    }

    @Test
    void wrongSizesNameTheItemAndOffset() throws Exception {
        byte[] good = idx(IdxReader.IMAGES_MAGIC, new int[] {3, 2, 2}, new byte[12]);
        Path cut = write("cut", Arrays.copyOf(good, good.length - 3));
        DataFileException t = assertThrows(DataFileException.class, () -> IdxReader.read(cut));
        assertTrue(t.getMessage().contains("file has 25 bytes, expected 28 for dimensions [3, 2, 2] (truncated in item 2)"),
                t.getMessage());
        assertEquals(2, t.location().recordIndex());
        assertEquals(25, t.location().byteOffset());

        Path longer = write("longer", Arrays.copyOf(good, good.length + 1));
        assertTrue(assertThrows(DataFileException.class, () -> IdxReader.read(longer)).getMessage().contains("trailing bytes"));

        Path cutGz = write("cut.gz", gzip(Arrays.copyOf(good, good.length - 5)));
        DataFileException g = assertThrows(DataFileException.class, () -> IdxReader.read(cutGz));
        assertTrue(g.getMessage().contains("truncated: 7 of 12 data bytes"), g.getMessage());
        assertEquals(1, g.location().recordIndex());
    }

    @Test
    void hugeDimensionsAreRejectedWithoutAllocating() throws Exception {
        Path huge = write("huge.gz", gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 60000, 28}, new byte[10])));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.read(huge));
        assertTrue(e.getMessage().contains("more bytes than an array can"), e.getMessage());
        Path big = write("big.gz", gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {1000, 1000, 1000}, new byte[10])));
        DataFileException g = assertThrows(DataFileException.class, () -> IdxReader.read(big));
        assertTrue(g.getMessage().contains("truncated: 10 of 1000000000 data bytes"), g.getMessage());
    }

    @Test
    void readUpToGrowsPastItsBoundOnlyAsDataArrives() throws Exception {
        byte[] src = new byte[150_000];
        for (int i = 0; i < src.length; i++) {
            src[i] = (byte) (i * 31);
        }
        assertArrayEquals(src, IdxReader.readUpTo(new java.io.ByteArrayInputStream(src), src.length, src.length));
        assertArrayEquals(src, IdxReader.readUpTo(new java.io.ByteArrayInputStream(src), 1 << 30, 1));
        byte[] head = IdxReader.readUpTo(new java.io.ByteArrayInputStream(src), 100_000, 1);
        assertArrayEquals(Arrays.copyOf(src, 100_000), head);
    }

    @Test
    void labelCountMustMatchImageCount() throws Exception {
        Path images = write("i", idx(IdxReader.IMAGES_MAGIC, new int[] {2, 1, 1}, new byte[2]));
        Path labels = write("l", idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[3]));
        DataFileException e = assertThrows(DataFileException.class, () -> IdxReader.readLabeledImages(images, labels));
        assertTrue(e.getMessage().contains("label count 3 differs from image count 2"), e.getMessage());
    }

    @Test
    void missingFilesInADirectoryAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void imagesBecomeScaledNhwcTensorsAndInt64Labels() throws Exception {
        CpuBackend.assume();
        LabeledImages test = Mnist.load(slice()).test();
        Tensor x = test.images();
        assertEquals(Shape.of(40, 28, 28, 1), x.shape());
        assertEquals(DType.FLOAT32, x.dtype());
        assertEquals(DType.INT64, test.labelTensor().dtype());
        List<Pair<Tensor, Tensor>> batches = test.shuffledBatches(16, false, 5).toList();
        assertEquals(3, batches.size());
        assertEquals(Shape.of(8, 28, 28, 1), batches.get(2).first().shape());
        assertEquals(Shape.of(16), batches.get(0).second().shape());
        long[] shuffled = batches.stream().flatMapToLong(b -> Arrays.stream(b.second().toLongArray())).sorted().toArray();
        long[] all = test.labels();
        Arrays.sort(all);
        assertArrayEquals(all, shuffled, "a shuffled epoch holds every image once");

        Pair<Tensor, Tensor> firstInOrder = test.batches(16, true).toList().get(0);
        assertArrayEquals(Arrays.copyOf(test.labels(), 16), firstInOrder.second().toLongArray());
        float[] pixels = firstInOrder.first().toFloatArray();
        assertEquals(test.pixel(3, 10, 12, 0) / 255f, pixels[3 * 784 + 10 * 28 + 12]);
        assertEquals(2, test.batches(16, true).count(), "dropRemainder drops the last 8 images");
    }
}
