package dev.tessera.data.tfrecord;

import dev.tessera.data.example.Example;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a TFRecord file: per record a little-endian uint64 length, the masked CRC-32C of those
 * 8 bytes, the data, and the masked CRC-32C of the data; optionally GZIP-compressed as a whole.
 * I/O failures are thrown as {@link UncheckedIOException} naming the file.
 */
public final class TfRecordWriter implements AutoCloseable {
    private static final int BUFFER = 1 << 20;

    private final Path path;
    private final OutputStream out;
    private final byte[] header = new byte[12];
    private final byte[] footer = new byte[4];
    private long records;
    private boolean closed;

    /** Creates (or truncates) {@code path}; with {@code gzip} the whole file is a GZIP stream, as TensorFlow's "GZIP" option writes it. */
    public TfRecordWriter(Path path, boolean gzip) {
        if (path == null) {
            throw new IllegalArgumentException("TfRecordWriter: path must not be null");
        }
        this.path = path;
        try {
            OutputStream file = Files.newOutputStream(path);
            this.out = gzip ? new GZIPOutputStream(file, BUFFER) : new BufferedOutputStream(file, BUFFER);
        } catch (IOException e) {
            throw new UncheckedIOException("TfRecordWriter: cannot create " + path, e);
        }
    }

    /** Appends one record holding {@code data}. */
    public void write(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("TfRecordWriter: record must not be null — in " + path);
        }
        write(data, 0, data.length);
    }

    /** Appends one record holding {@code len} bytes of {@code data} from {@code off}. */
    public void write(byte[] data, int off, int len) {
        if (closed) {
            throw new IllegalStateException("TfRecordWriter: " + path + " is closed");
        }
        Bytes.putLongLE(header, 0, len);
        Bytes.putIntLE(header, 8, Crc32c.maskedCrc(header, 0, 8));
        Bytes.putIntLE(footer, 0, Crc32c.maskedCrc(data, off, len));
        try {
            out.write(header);
            out.write(data, off, len);
            out.write(footer);
        } catch (IOException e) {
            throw new UncheckedIOException("TfRecordWriter: cannot write record " + records + " to " + path, e);
        }
        records++;
    }

    /** Appends one serialized tf.train.Example. */
    public void write(Example example) {
        if (example == null) {
            throw new IllegalArgumentException("TfRecordWriter: example must not be null — in " + path);
        }
        write(example.toByteArray());
    }

    /** Number of records written so far. */
    public long recordsWritten() {
        return records;
    }

    /** Flushes and closes the file (finishing the GZIP stream); a second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("TfRecordWriter: cannot close " + path, e);
        }
    }
}
