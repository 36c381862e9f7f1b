package dev.tessera.data.tfrecord;

import dev.tessera.data.CloseableIterator;
import dev.tessera.data.DataFileException;
import dev.tessera.data.DataFiles;
import dev.tessera.data.RecordLocation;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the records of one TFRecord file, checking the masked CRC-32C of every length and
 * every payload. Files larger than memory are fine: only the current record is held.
 *
 * <p>A malformed file raises {@link DataFileException} naming the file, the record index and the
 * byte offset (of the uncompressed stream for GZIP files). With {@link Options#skipCorrupt(boolean)}
 * a record whose payload CRC fails is skipped, a header whose CRC fails is skipped by scanning
 * forward to the next valid header, and a truncated tail ends the file; each such region counts
 * once in {@link #corruptRecordsSkipped()}. Failures of the file system itself are
 * {@link UncheckedIOException}.
 *
 * <p>{@link #next()} returns each payload in a new array. {@link #nextShared()} instead returns a
 * view of memory the reader reuses (its read buffer, or one scratch array for records larger than
 * the buffer), valid until the next read: for a consumer that decodes each record at once this
 * saves an allocation and a copy per record, which halves the throughput of large records.
 */
public final class TfRecordReader implements CloseableIterator<byte[]> {
    private static final String OP = "tfrecord";
    private static final int HEADER = 12;
    private static final int FOOTER = 4;
    private static final int BUFFER = 1 << 20;
    /** A payload of at least 1/LARGE of the buffer counts as large (see {@link #readPayload}). */
    private static final int LARGE = 8;
    /** Largest payload a Java array can hold, with room for the framing. */
    private static final long MAX_RECORD = Integer.MAX_VALUE - 32;
    /** GZIP payloads start in a buffer of this size that doubles as data arrives, so a wrong length cannot allocate much more than the stream holds. */
    private static final int GZIP_CHUNK = 1 << 20;

    /** How the file is compressed. */
    public enum Compression {
        /** GZIP when the file starts with the GZIP magic and not with a valid TFRecord header. */
        AUTO,
        /** Plain TFRecord framing. */
        NONE,
        /** The whole file is one GZIP stream (TensorFlow's "GZIP" compression type). */
        GZIP
    }

    /** Reader options: compression (default AUTO) and whether corrupt records are skipped (default false). */
    public record Options(Compression compression, boolean skipCorrupt) {
        public Options {
            if (compression == null) {
                throw new IllegalArgumentException("tfrecord: compression must not be null");
            }
        }

        /** AUTO compression, corrupt records are errors. */
        public static Options defaults() {
            return new Options(Compression.AUTO, false);
        }

        /** These options with another compression. */
        public Options compression(Compression c) {
            return new Options(c, skipCorrupt);
        }

        /** These options with corrupt records skipped (and counted) or raised. */
        public Options skipCorrupt(boolean skip) {
            return new Options(compression, skip);
        }
    }

    private final Path path;
    private final boolean gzip;
    private final boolean skipCorrupt;
    /** Size of a plain file, re-read when a length seems to pass the end (the file may be growing). */
    private long fileSize;
    private final InputStream in;
    private final byte[] buf;
    private int pos;
    private int lim;
    /** Stream offset of buf[0]. */
    private long bufStart;
    private boolean streamEnded;
    /** The GZIP stream failed while skipping corrupt records; its tail counts as one corrupt region. */
    private boolean streamCorrupt;

    private byte[] lookahead;
    /** Reused by {@link #nextShared()} for records that are not wholly in {@link #buf}. */
    private byte[] scratch = new byte[0];
    /** Where the payload found by {@link #readRecord(boolean)} lies. */
    private byte[] recordArray;
    private int recordOffset;
    private int recordLength;
    private boolean finished;
    private boolean closed;
    private long nextIndex;
    private long skipped;
    private RecordLocation pendingLocation;
    private RecordLocation lastLocation;

    /** Opens {@code path} with {@link Options#defaults()}: compression detected, corrupt records raised. */
    public TfRecordReader(Path path) {
        this(path, Options.defaults());
    }

    /** Opens {@code path} with the given options. */
    public TfRecordReader(Path path, Options options) {
        if (path == null || options == null) {
            throw new IllegalArgumentException("tfrecord: path and options must not be null");
        }
        this.path = path;
        this.skipCorrupt = options.skipCorrupt();
        try {
            this.fileSize = Files.size(path);
            InputStream file = DataFiles.open(path);
            byte[] head;
            try {
                head = file.readNBytes(HEADER);
            } catch (IOException e) {
                file.close();
                throw e;
            }
            this.gzip = switch (options.compression()) {
                case NONE -> false;
                case GZIP -> true;
                case AUTO -> looksGzipped(head);
            };
            // A small file gets a small buffer: opening many shards or small files should not zero 1 MiB each.
            this.buf = new byte[gzip ? BUFFER : (int) Math.max(4096, Math.min(BUFFER, fileSize))];
            if (gzip) {
                try {
                    this.in = new GZIPInputStream(new SequenceInputStream(new ByteArrayInputStream(head), file), 1 << 16);
                } catch (ZipException | EOFException e) {
                    file.close();
                    throw new DataFileException(OP, "not a valid GZIP stream (" + e.getMessage() + ")",
                            RecordLocation.header(path, 0), e);
                }
            } else {
                this.in = file;
                System.arraycopy(head, 0, buf, 0, head.length);
                lim = head.length;
                streamEnded = head.length < HEADER;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("tfrecord: cannot open " + path, e);
        }
    }

    private static boolean looksGzipped(byte[] head) {
        if (head.length < 2 || (head[0] & 0xFF) != 0x1f || (head[1] & 0xFF) != 0x8b) {
            return false;
        }
        // NOTE: a plain record of length 0x8b1f + 256k starts with the GZIP magic too; its header CRC tells them apart.
        return head.length < HEADER || Crc32c.maskedCrc(head, 0, 8) != Bytes.getIntLE(head, 8);
    }

    /** The file being read. */
    public Path path() {
        return path;
    }

    /** Whether the file is read as a GZIP stream. */
    public boolean isGzip() {
        return gzip;
    }

    /** Corrupt regions skipped so far (only non-zero with skipCorrupt). */
    public long corruptRecordsSkipped() {
        return skipped;
    }

    /** Where the record last returned by {@link #next()} came from. */
    public RecordLocation lastLocation() {
        if (lastLocation == null) {
            throw new IllegalStateException("tfrecord: no record has been read yet from " + path);
        }
        return lastLocation;
    }

    @Override
    public boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("tfrecord: reader for " + path + " is closed");
        }
        if (lookahead == null && !finished) {
            if (readRecord(false)) {
                lookahead = recordArray;
            } else {
                finished = true;
            }
        }
        return lookahead != null;
    }

    /**
     * The next record as a view (position to limit of a heap buffer) of memory this reader reuses,
     * or null at the end of the file. The view, and anything that shares its memory (such as
     * {@link ExampleFeatures#parse(byte[], int, int, RecordLocation)} of it), is valid only until the
     * next call to {@code hasNext}, {@code next} or {@code nextShared}.
     */
    public ByteBuffer nextShared() {
        if (closed) {
            throw new IllegalStateException("tfrecord: reader for " + path + " is closed");
        }
        if (lookahead != null) {
            ByteBuffer r = ByteBuffer.wrap(lookahead);
            lookahead = null;
            lastLocation = pendingLocation;
            return r;
        }
        if (finished || !readRecord(true)) {
            finished = true;
            return null;
        }
        lastLocation = pendingLocation;
        return ByteBuffer.wrap(recordArray, recordOffset, recordLength);
    }

    @Override
    public byte[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException("tfrecord: no more records in " + path);
        }
        byte[] r = lookahead;
        lookahead = null;
        lastLocation = pendingLocation;
        return r;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            in.close();
        } catch (IOException e) {
            throw new UncheckedIOException("tfrecord: cannot close " + path, e);
        }
    }

    private long offset() {
        return bufStart + pos;
    }

    private RecordLocation here(long start) {
        return new RecordLocation(path, nextIndex, start);
    }

    /**
     * Finds the next good record and sets {@link #recordArray}, {@link #recordOffset} and
     * {@link #recordLength}; false at the end of the file. Unless {@code shared}, the payload is a
     * new array of its own.
     */
    private boolean readRecord(boolean shared) {
        while (true) {
            long start = offset();
            if (!fill(HEADER)) {
                if (lim == pos) {
                    if (streamCorrupt) {
                        skipped++;
                    }
                    return false;
                }
                corrupt("truncated header: " + (lim - pos) + " of " + HEADER + " bytes", start);
                return endOfFile();
            }
            long len = Bytes.getLongLE(buf, pos);
            int stored = Bytes.getIntLE(buf, pos + 8);
            int computed = Crc32c.maskedCrc(buf, pos, 8);
            if (stored != computed) {
                corrupt(String.format("length CRC mismatch — got 0x%08x, computed 0x%08x", stored, computed), start);
                resync();
                continue;
            }
            String bad = implausibleLength(len, start);
            if (bad != null) {
                corrupt(bad, start);
                resync();
                continue;
            }
            pos += HEADER;
            if (!readPayload((int) len, shared) || !fill(FOOTER)) {
                corrupt("truncated record: expected " + len + " data bytes and a " + FOOTER
                        + "-byte CRC, the file ends first" + (gzip ? " (offsets are in the uncompressed stream)" : ""),
                        start);
                return endOfFile();
            }
            int storedData = Bytes.getIntLE(buf, pos);
            pos += FOOTER;
            int computedData = Crc32c.maskedCrc(recordArray, recordOffset, recordLength);
            RecordLocation loc = here(start);
            nextIndex++;
            if (storedData != computedData) {
                corruptAt(String.format("data CRC mismatch — got 0x%08x, computed 0x%08x", storedData, computedData), loc);
                continue;
            }
            pendingLocation = loc;
            return true;
        }
    }

    private String implausibleLength(long len, long start) {
        if (len < 0 || len > MAX_RECORD) {
            return "record length " + Long.toUnsignedString(len) + " exceeds the largest readable record (" + MAX_RECORD + ")";
        }
        if (!gzip && len > fileSize - start - HEADER - FOOTER) {
            try {
                fileSize = Files.size(path);
            } catch (IOException e) {
                throw new UncheckedIOException("tfrecord: cannot read the size of " + path, e);
            }
        }
        if (!gzip && len > fileSize - start - HEADER - FOOTER) {
            return "record length " + len + " exceeds the " + Math.max(0, fileSize - start - HEADER - FOOTER)
                    + " bytes left in the file";
        }
        return null;
    }

    /** Reports a corrupt region at stream offset {@code start}: raises, or counts it when skipping. */
    private void corrupt(String problem, long start) {
        corruptAt(problem, here(start));
    }

    private void corruptAt(String problem, RecordLocation loc) {
        if (!skipCorrupt) {
            throw new DataFileException(OP, problem, loc);
        }
        skipped++;
    }

    private boolean endOfFile() {
        pos = lim;
        return false;
    }

    /** Scans forward from one byte past the current header to the next position holding a header with a valid CRC. */
    private void resync() {
        pos++;
        while (fill(HEADER)) {
            if (Crc32c.maskedCrc(buf, pos, 8) == Bytes.getIntLE(buf, pos + 8)
                    && implausibleLength(Bytes.getLongLE(buf, pos), offset()) == null) {
                return;
            }
            pos++;
        }
        pos = lim;
    }

    /**
     * Reads {@code len} payload bytes into the record fields (see {@link #readRecord(boolean)}), or
     * returns false when the stream ends first.
     */
    private boolean readPayload(int len, boolean shared) {
        // A shared view into buf needs the footer buffered too, or reading it would move the view's bytes.
        if (shared && lim - pos < (long) len + FOOTER && (long) len + FOOTER + HEADER <= buf.length) {
            // A large record is read to the end of the next header and no further, so the next one starts
            // a read of its own at the front of buf instead of being copied there from the buffer's tail.
            int upTo = len >= buf.length / LARGE ? len + FOOTER + HEADER : buf.length;
            if (!fill(len + FOOTER, upTo)) {
                return false;
            }
        }
        if (shared && lim - pos >= (long) len + FOOTER || !shared && lim - pos >= len) {
            if (shared) {
                recordArray = buf;
                recordOffset = pos;
            } else {
                // Whole record buffered: copyOfRange lets the JIT skip zeroing the new array.
                recordArray = Arrays.copyOfRange(buf, pos, pos + len);
                recordOffset = 0;
            }
            recordLength = len;
            pos += len;
            return true;
        }
        // GZIP payloads grow as data arrives, so a corrupt length cannot allocate much more than the stream holds.
        int initial = gzip ? Math.min(len, GZIP_CHUNK) : len;
        byte[] data = shared ? (scratch.length >= initial ? scratch : new byte[initial]) : new byte[initial];
        int have = 0;
        while (have < len) {
            if (have == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(len, (long) data.length * 2));
            }
            int want = Math.min(data.length, len) - have;
            if (lim > pos) {
                int n = Math.min(lim - pos, want);
                System.arraycopy(buf, pos, data, have, n);
                pos += n;
                have += n;
            } else if (want >= buf.length / 2) {
                // Buffer drained and a large remainder: read straight into the record, skipping the buffer copy.
                int n = readStream(data, have, want);
                if (n <= 0) {
                    return false;
                }
                bufStart += n;
                have += n;
            } else if (!fill(1)) {
                return false;
            }
        }
        if (shared) {
            scratch = data;
        }
        recordArray = data;
        recordOffset = 0;
        recordLength = len;
        return true;
    }

    /** Makes at least {@code n} bytes available from {@code pos}; false when the stream ends first. */
    private boolean fill(int n) {
        return fill(n, buf.length);
    }

    /**
     * Makes at least {@code n} bytes available from {@code pos}, reading no more than brings
     * {@code upTo} bytes from {@code pos} into the buffer; false when the stream ends first.
     */
    private boolean fill(int n, int upTo) {
        if (lim - pos >= n) {
            return true;
        }
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, lim - pos);
            bufStart += pos;
            lim -= pos;
            pos = 0;
        }
        while (lim < n) {
            int r = readStream(buf, lim, Math.min(buf.length, upTo) - lim);
            if (r <= 0) {
                return false;
            }
            lim += r;
        }
        return true;
    }

    private int readStream(byte[] b, int off, int len) {
        if (streamEnded) {
            return -1;
        }
        try {
            int r = in.read(b, off, len);
            if (r < 0) {
                streamEnded = true;
            }
            return r;
        } catch (ZipException | EOFException e) {
            streamEnded = true;
            if (!skipCorrupt) {
                throw new DataFileException(OP, "GZIP stream is corrupt or truncated (" + e.getMessage() + ")",
                        here(offset()), e);
            }
            streamCorrupt = true;
            return -1;
        } catch (IOException e) {
            throw new UncheckedIOException("tfrecord: cannot read " + path + " at byte offset " + offset(), e);
        }
    }
}
