package dev.tessera.data;

import java.util.NoSuchElementException;

/**
 * Base for pipeline iterators: subclasses compute the next element on demand in {@link #fetch()}
 * and call {@link #end()} when there is none; closing calls {@link #release()} once.
 */
abstract class LookaheadIterator<T> implements CloseableIterator<T> {
    private T pending;
    private boolean ready;
    private boolean ended;
    private boolean closed;

    /** The next element, or the result of {@link #end()} when there are no more. */
    protected abstract T fetch();

    /** Marks the end of the elements; return its result from {@link #fetch()}. */
    protected final T end() {
        ended = true;
        return null;
    }

    @Override
    public final boolean hasNext() {
        if (closed) {
            throw new IllegalStateException("dataset: iterator is closed");
        }
        if (!ready && !ended) {
            T t = fetch();
            if (!ended) {
                pending = t;
                ready = true;
            }
        }
        return ready;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("dataset: no more elements");
        }
        T t = pending;
        pending = null;
        ready = false;
        return t;
    }

    /** Releases upstream iterators, files or threads. */
    protected abstract void release();

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        pending = null;
        release();
    }
}
