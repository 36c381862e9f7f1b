package dev.tessera.data;

import java.util.Iterator;

/** An iterator that may hold a file, a buffer or a thread, released by {@link #close()} (which never throws a checked exception). */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {

    /** Releases what the iterator holds; calling it again does nothing. */
    @Override
    void close();
}
