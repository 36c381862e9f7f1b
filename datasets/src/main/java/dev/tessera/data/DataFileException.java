package dev.tessera.data;

/**
 * The content of a data file is malformed (truncated, bad checksum, wrong magic number, wrong
 * size, missing feature); the message and {@link #location()} name the file, record and byte offset.
 * I/O failures of the file system itself surface as {@link java.io.UncheckedIOException} instead.
 */
public final class DataFileException extends RuntimeException {
    private final transient RecordLocation location;

    /** {@code op: problem — in <location>}. */
    public DataFileException(String op, String problem, RecordLocation location) {
        this(op, problem, location, null);
    }

    /** As {@link #DataFileException(String, String, RecordLocation)} with the low-level cause. */
    public DataFileException(String op, String problem, RecordLocation location, Throwable cause) {
        super(op + ": " + problem + " — in " + (location == null ? "an in-memory record" : location), cause);
        this.location = location;
    }

    /** The file, record index and byte offset where the problem was found; null for a record built in memory. */
    public RecordLocation location() {
        return location;
    }
}
