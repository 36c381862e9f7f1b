package dev.tessera.data.idx;

import dev.tessera.data.DataFileException;
import dev.tessera.data.DataFiles;
import dev.tessera.data.LabeledImages;
import dev.tessera.data.RecordLocation;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST and Fashion-MNIST format), plain or GZIP-compressed (by the
 * {@code .gz} suffix or the GZIP magic): a big-endian magic {@code 0x0000TTDD} (type 0x08 =
 * unsigned byte, DD dimensions), DD big-endian uint32 sizes, then the bytes. Label files have
 * magic 0x00000801, image files 0x00000803. Sizes are checked against the file length; every
 * problem raises {@link DataFileException} naming the file, item index and byte offset.
 */
public final class IdxReader {
    /** Magic number of a 1-D unsigned-byte file (labels). */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of a 3-D unsigned-byte file (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    private static final String OP = "idx";
    private static final int UNSIGNED_BYTE = 0x08;
    /** DEFLATE expands at most about 1032 times, so a GZIP file of n bytes holds less than this times n. */
    private static final long MAX_DEFLATE_RATIO = 1100;

    private IdxReader() {
    }

    /** An IDX file's dimensions and unsigned-byte payload. */
    public record IdxArray(Path file, int[] dims, byte[] data) {
    }

    /** Reads an IDX file of unsigned bytes with any number of dimensions. */
    public static IdxArray read(Path file) {
        return read(file, -1);
    }

    /** Reads a label file (magic 0x00000801) into longs. */
    public static long[] readLabels(Path file) {
        IdxArray a = read(file, LABELS_MAGIC);
        long[] labels = new long[a.data().length];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = a.data()[i] & 0xFF;
        }
        return labels;
    }

    /** Reads an image file (magic 0x00000803, dims N, rows, cols) and its label file into (N, rows, cols, 1) images. */
    public static LabeledImages readLabeledImages(Path images, Path labels) {
        IdxArray img = read(images, IMAGES_MAGIC);
        long[] lab = readLabels(labels);
        if (lab.length != img.dims()[0]) {
            throw new DataFileException(OP, "label count " + lab.length + " differs from image count " + img.dims()[0]
                    + " in " + images, RecordLocation.header(labels, 4));
        }
        return new LabeledImages(img.data(), lab, img.dims()[1], img.dims()[2], 1);
    }

    private static IdxArray read(Path file, int expectedMagic) {
        if (file == null) {
            throw new IllegalArgumentException("idx: file must not be null");
        }
        try {
            long fileSize = Files.size(file);
            try (InputStream raw = new BufferedInputStream(DataFiles.open(file), 1 << 16)) {
                boolean gzip = isGzip(raw);
                InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
                return parse(file, in, gzip ? -1 : fileSize, gzip ? MAX_DEFLATE_RATIO * fileSize : fileSize,
                        expectedMagic);
            } catch (ZipException | EOFException e) {
                throw new DataFileException(OP, "GZIP stream is corrupt or truncated (" + e.getMessage() + ")",
                        RecordLocation.header(file, 0), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("idx: cannot read " + file, e);
        }
    }

    /** Peeks at the first two bytes of a mark-supporting stream for the GZIP magic. */
    private static boolean isGzip(InputStream in) throws IOException {
        in.mark(2);
        byte[] head = in.readNBytes(2);
        in.reset();
        return head.length == 2 && (head[0] & 0xFF) == 0x1f && (head[1] & 0xFF) == 0x8b;
    }

    /** Parses the stream; {@code fileSize} is -1 for GZIP streams, whose length is only known at the end. */
    private static IdxArray parse(Path file, InputStream in, long fileSize, long maxBytes, int expectedMagic)
            throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new DataFileException(OP, "truncated header: " + head.length + " of 4 magic bytes", RecordLocation.header(file, 0));
        }
        int magic = bigEndian(head, 0);
        int type = head[2] & 0xFF;
        int rank = head[3] & 0xFF;
        if (head[0] != 0 || head[1] != 0 || (expectedMagic >= 0 && magic != expectedMagic)) {
            String want = expectedMagic >= 0 ? String.format("0x%08x (%s)", expectedMagic,
                    expectedMagic == LABELS_MAGIC ? "labels" : "images") : "0x0000TTDD";
            throw new DataFileException(OP, String.format("wrong magic number 0x%08x, expected %s", magic, want),
                    RecordLocation.header(file, 0));
        }
        if (type != UNSIGNED_BYTE) {
            throw new DataFileException(OP, String.format("element type 0x%02x is not supported, only 0x08 (unsigned byte)", type),
                    RecordLocation.header(file, 2));
        }
        if (rank == 0) {
            throw new DataFileException(OP, "rank 0 (no dimensions)", RecordLocation.header(file, 3));
        }
        byte[] dimBytes = in.readNBytes(4 * rank);
        if (dimBytes.length < 4 * rank) {
            throw new DataFileException(OP, "truncated header: " + dimBytes.length + " of " + 4 * rank + " dimension bytes",
                    RecordLocation.header(file, 4));
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            long size = bigEndian(dimBytes, 4 * d) & 0xFFFFFFFFL;
            if (size > Integer.MAX_VALUE) {
                throw new DataFileException(OP, "dimension " + d + " is " + size + ", larger than an array can hold",
                        RecordLocation.header(file, 4 + 4L * d));
            }
            dims[d] = (int) size;
            total *= size;
            if (total > Integer.MAX_VALUE - 16) {
                throw new DataFileException(OP, "dimensions " + Arrays.toString(Arrays.copyOf(dims, d + 1))
                        + " hold more bytes than an array can", RecordLocation.header(file, 4 + 4L * d));
            }
        }
        long headerSize = 4 + 4L * rank;
        if (fileSize >= 0 && fileSize != headerSize + total) {
            long itemSize = dims[0] == 0 ? 0 : total / dims[0];
            throw new DataFileException(OP, "file has " + fileSize + " bytes, expected " + (headerSize + total)
                    + " for dimensions " + Arrays.toString(dims)
                    + (fileSize < headerSize + total && itemSize > 0
                        ? " (truncated in item " + (fileSize - headerSize) / itemSize + ")" : " (trailing bytes)"),
                    new RecordLocation(file, itemIndex(fileSize, headerSize, total, dims), Math.min(fileSize, headerSize + total)));
        }
        byte[] data = readUpTo(in, (int) total, maxBytes);
        if (data.length < total) {
            throw new DataFileException(OP, "truncated: " + data.length + " of " + total + " data bytes for dimensions "
                    + Arrays.toString(dims) + " (offsets are in the uncompressed stream)",
                    new RecordLocation(file, itemIndex(headerSize + data.length, headerSize, total, dims), headerSize + data.length));
        }
        if (in.read() >= 0) {
            throw new DataFileException(OP, "trailing bytes after the " + total + " data bytes for dimensions "
                    + Arrays.toString(dims), RecordLocation.header(file, headerSize + total));
        }
        return new IdxArray(file, dims, data);
    }

    /**
     * Up to {@code total} bytes of in, fewer at its end. The array is sized to total at once when the
     * file could hold that much (at most {@code maxBytes}: its size, or its compressed size times
     * DEFLATE's largest ratio), so a valid file is read with no copy; a header that claims more
     * than the file could hold only grows the array as data arrives.
     */
    static byte[] readUpTo(InputStream in, int total, long maxBytes) throws IOException {
        byte[] data = new byte[(int) Math.min(total, Math.max(maxBytes, 1 << 16))];
        int n = 0;
        while (n < total) {
            if (n == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(total, 2L * data.length));
            }
            int got = in.read(data, n, data.length - n);
            if (got < 0) {
                return Arrays.copyOf(data, n);
            }
            n += got;
        }
        return data;
    }

    /** The item (first-dimension index) holding stream offset {@code at}. */
    private static long itemIndex(long at, long headerSize, long total, int[] dims) {
        long itemSize = dims[0] == 0 ? 0 : total / dims[0];
        return itemSize == 0 ? 0 : Math.min(dims[0], Math.max(0, at - headerSize) / itemSize);
    }

    private static int bigEndian(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }
}
