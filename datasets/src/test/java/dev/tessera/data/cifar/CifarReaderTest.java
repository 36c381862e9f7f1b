package dev.tessera.data.cifar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.data.CpuBackend;
import dev.tessera.data.DataFileException;
import dev.tessera.data.LabeledImages;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads CIFAR binaries written by the test, checking the CHW → HWC transposition, labels and size checks. */
class CifarReaderTest {
    private static final int PIXEL_LAST = 3 * 32 * 32 - 1;

    @TempDir
    Path dir;

    /** A distinct pixel value for (image, channel, row, column). */
    static int value(int image, int c, int h, int w) {
        return (image * 31 + c * 101 + h * 7 + w * 3) & 0xFF;
    }

    /** Records with the given label bytes per image, pixels planar (all red, all green, all blue). */
    static byte[] records(int[][] labelsPerImage) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (int i = 0; i < labelsPerImage.length; i++) {
            for (int l : labelsPerImage[i]) {
                o.write(l);
            }
            for (int c = 0; c < 3; c++) {
                for (int h = 0; h < 32; h++) {
                    for (int w = 0; w < 32; w++) {
                        o.write(value(i, c, h, w));
                    }
                }
            }
        }
        return o.toByteArray();
    }

    private Path write(String name, byte[] b) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, b);
        return f;
    }

    private static void assertPixels(LabeledImages imgs, int image, int sourceImage) {
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 32; h += 5) {
                for (int w = 0; w < 32; w += 3) {
                    assertEquals(value(sourceImage, c, h, w), imgs.pixel(image, h, w, c), "pixel " + h + "," + w + "," + c);
                }
            }
        }
    }

    @Test
    void cifar10RecordsBecomeNhwcImagesAcrossFiles() throws Exception {
        Path a = write("data_batch_1.bin", records(new int[][] {{3}, {9}}));
        Path b = write("data_batch_2.bin", records(new int[][] {{0}}));
        LabeledImages imgs = CifarReader.readCifar10(List.of(a, b));
        assertEquals(3, imgs.size());
        assertEquals(Shape.of(32, 32, 3), imgs.imageShape());
        assertArrayEquals(new long[] {3, 9, 0}, imgs.labels());
        assertPixels(imgs, 1, 1);
        assertPixels(imgs, 2, 0);
        assertEquals(value(1, 2, 31, 31) / 255f, imgs.scaledPixels(1, 2)[PIXEL_LAST]);
    }

    @Test
    void cifar100KeepsCoarseAndFineLabels() throws Exception {
        Path f = write("train.bin", records(new int[][] {{19, 99}, {4, 30}}));
        CifarReader.Cifar100 c = CifarReader.readCifar100(f);
        assertArrayEquals(new long[] {99, 30}, c.fine().labels());
        assertArrayEquals(new long[] {19, 4}, c.coarse().labels());
        assertPixels(c.fine(), 1, 1);
        assertPixels(c.coarse(), 0, 0);
    }

    @Test
    void loadsTheStandardDirectoryLayout() throws Exception {
        for (int i = 1; i <= 5; i++) {
            write("data_batch_" + i + ".bin", records(new int[][] {{i}}));
        }
        write("test_batch.bin", records(new int[][] {{7}, {8}}));
        CifarReader.Splits s = CifarReader.loadCifar10(dir);
        assertArrayEquals(new long[] {1, 2, 3, 4, 5}, s.train().labels());
        assertEquals(2, s.test().size());
    }

    @Test
    void partialRecordIsReportedWithIndexAndOffset() throws Exception {
        byte[] two = records(new int[][] {{1}, {2}});
        Path f = write("cut.bin", Arrays.copyOf(two, two.length - 100));
        DataFileException e = assertThrows(DataFileException.class, () -> CifarReader.readCifar10(List.of(f)));
        assertEquals("cifar: file has 6046 bytes, not a multiple of the 3073-byte record (CIFAR-10); record 1 has only "
                + "2973 bytes — in " + f + ", record 1 at byte offset 3073", e.getMessage());
        Path wrongFormat = write("c100.bin", records(new int[][] {{1, 2}}));
        assertThrows(DataFileException.class, () -> CifarReader.readCifar10(List.of(wrongFormat)));
    }

    @Test
    void outOfRangeLabelsAreReported() throws Exception {
        Path f = write("bad.bin", records(new int[][] {{1}, {1}, {10}}));
        DataFileException e = assertThrows(DataFileException.class, () -> CifarReader.readCifar10(List.of(f)));
        assertTrue(e.getMessage().contains("label byte 0 is 10, expected 0–9"), e.getMessage());
        assertEquals(2, e.location().recordIndex());
        assertEquals(2 * 3073, e.location().byteOffset());
        Path g = write("bad100.bin", records(new int[][] {{20, 5}}));
        assertThrows(DataFileException.class, () -> CifarReader.readCifar100(g));
    }

    @Test
    void imagesTensorIsScaledFloat32Nhwc() throws Exception {
        CpuBackend.assume();
        LabeledImages imgs = CifarReader.readCifar10(List.of(write("x.bin", records(new int[][] {{1}, {2}}))));
        Tensor t = imgs.images();
        assertEquals(Shape.of(2, 32, 32, 3), t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        assertEquals(value(1, 1, 4, 5) / 255.0, t.getDouble(1, 4, 5, 1), 1e-7);
        assertSame(DType.INT64, imgs.labelTensor().dtype());
    }
}
