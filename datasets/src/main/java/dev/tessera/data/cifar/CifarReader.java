package dev.tessera.data.cifar;

import dev.tessera.data.DataFileException;
import dev.tessera.data.DataFiles;
import dev.tessera.data.LabeledImages;
import dev.tessera.data.RecordLocation;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CIFAR-10 and CIFAR-100 binary formats into NHWC (N, 32, 32, 3) images. A CIFAR-10
 * record is 1 label byte and 3072 pixel bytes (1024 red, then green, then blue, each 32×32 row-major);
 * a CIFAR-100 record has a coarse and a fine label byte before the pixels. File sizes and label
 * ranges are checked; problems raise {@link DataFileException} naming file, record and byte offset.
 */
public final class CifarReader {
    /** Image side in pixels. */
    public static final int SIDE = 32;
    /** Pixel bytes per record. */
    public static final int PIXELS = 3 * SIDE * SIDE;
    private static final String OP = "cifar";

    private CifarReader() {
    }

    /** CIFAR-100 images with both label sets (the two share one pixel array). */
    public record Cifar100(LabeledImages fine, LabeledImages coarse) {
    }

    /** Training and test sets of one dataset. */
    public record Splits(LabeledImages train, LabeledImages test) {
    }

    /** Reads and concatenates CIFAR-10 batch files (e.g. data_batch_1.bin … data_batch_5.bin). */
    public static LabeledImages readCifar10(List<Path> files) {
        if (files == null || files.isEmpty()) {
            throw new IllegalArgumentException("cifar: at least one file is needed — got " + files);
        }
        int total = 0;
        int[] counts = new int[files.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = recordCount(files.get(i), 1);
            total = Math.addExact(total, counts[i]);
        }
        byte[] pixels = new byte[Math.multiplyExact(total, PIXELS)];
        long[] labels = new long[total];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            read(files.get(i), counts[i], 1, new int[] {10}, pixels, new long[][] {labels}, at);
            at += counts[i];
        }
        return new LabeledImages(pixels, labels, SIDE, SIDE, 3);
    }

    /** Reads a CIFAR-100 file (train.bin or test.bin). */
    public static Cifar100 readCifar100(Path file) {
        int n = recordCount(file, 2);
        byte[] pixels = new byte[Math.multiplyExact(n, PIXELS)];
        long[] coarse = new long[n];
        long[] fine = new long[n];
        read(file, n, 2, new int[] {20, 100}, pixels, new long[][] {coarse, fine}, 0);
        LabeledImages f = new LabeledImages(pixels, fine, SIDE, SIDE, 3);
        return new Cifar100(f, f.withLabels(coarse));
    }

    /** Loads CIFAR-10 from a directory holding data_batch_1.bin … data_batch_5.bin and test_batch.bin. */
    public static Splits loadCifar10(Path dir) {
        List<Path> train = List.of(1, 2, 3, 4, 5).stream().map(i -> existing(dir, "data_batch_" + i + ".bin")).toList();
        return new Splits(readCifar10(train), readCifar10(List.of(existing(dir, "test_batch.bin"))));
    }

    /** Loads CIFAR-100 fine-label sets from a directory holding train.bin and test.bin. */
    public static Splits loadCifar100(Path dir) {
        return new Splits(readCifar100(existing(dir, "train.bin")).fine(), readCifar100(existing(dir, "test.bin")).fine());
    }

    private static Path existing(Path dir, String name) {
        Path p = dir.resolve(name);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("cifar: " + name + " is not in " + dir);
        }
        return p;
    }

    private static int recordCount(Path file, int labelBytes) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cifar: cannot read " + file, e);
        }
        int recordSize = labelBytes + PIXELS;
        if (size % recordSize != 0) {
            long full = size / recordSize;
            throw new DataFileException(OP, "file has " + size + " bytes, not a multiple of the " + recordSize
                    + "-byte record (" + (labelBytes == 1 ? "CIFAR-10" : "CIFAR-100") + "); record " + full
                    + " has only " + (size % recordSize) + " bytes", new RecordLocation(file, full, full * recordSize));
        }
        if (size / recordSize > Integer.MAX_VALUE / PIXELS) {
            throw new DataFileException(OP, "file holds " + size / recordSize + " records, more than one array can hold",
                    RecordLocation.header(file, 0));
        }
        return (int) (size / recordSize);
    }

    /** Reads {@code n} records, transposing CHW pixels to HWC at image {@code first} of the output. */
    private static void read(Path file, int n, int labelBytes, int[] labelLimits, byte[] pixels, long[][] labels, int first) {
        int recordSize = labelBytes + PIXELS;
        byte[] rec = new byte[recordSize];
        int plane = SIDE * SIDE;
        try (InputStream in = new BufferedInputStream(DataFiles.open(file), 1 << 16)) {
            for (int r = 0; r < n; r++) {
                int got = in.readNBytes(rec, 0, recordSize);
                if (got < recordSize) {
                    throw new DataFileException(OP, "truncated record: " + got + " of " + recordSize + " bytes (the file changed while read)",
                            new RecordLocation(file, r, (long) r * recordSize));
                }
                for (int k = 0; k < labelBytes; k++) {
                    int label = rec[k] & 0xFF;
                    if (label >= labelLimits[k]) {
                        throw new DataFileException(OP, "label byte " + k + " is " + label + ", expected 0–" + (labelLimits[k] - 1),
                                new RecordLocation(file, r, (long) r * recordSize + k));
                    }
                    labels[k][first + r] = label;
                }
                int base = (first + r) * PIXELS;
                for (int p = 0; p < plane; p++) {
                    pixels[base + 3 * p] = rec[labelBytes + p];
                    pixels[base + 3 * p + 1] = rec[labelBytes + plane + p];
                    pixels[base + 3 * p + 2] = rec[labelBytes + 2 * plane + p];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cifar: cannot read " + file, e);
        }
    }
}
