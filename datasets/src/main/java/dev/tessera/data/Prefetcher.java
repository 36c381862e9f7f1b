package dev.tessera.data;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs an upstream iterator on a background daemon thread, keeping about {@code n} elements
 * ready. Elements cross between the threads in chunks of up to n/2, sent when full or when
 * {@value #FLUSH_NANOS} ns have passed since the last one (looked at when a chunk holds 1, 2, 4, ...
 * elements), so small fast elements do not pay a
 * thread hand-off each (about 5 µs) while slow ones still go at once. An
 * exception in the producer reaches the consumer after the elements made before it, as the same
 * object (its type and cause intact), with the consumer's stack attached as a suppressed exception.
 * Closing stops the thread, which closes the upstream iterator on its own thread.
 */
final class Prefetcher<T> extends LookaheadIterator<T> {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long JOIN_MILLIS = 10_000;
    /** Longest a finished element waits in a partly filled chunk. */
    static final long FLUSH_NANOS = 50_000;

    /** What travels through the queue: some elements, and on the last chunk the producer's failure if any. */
    private record Chunk<T>(List<T> values, Throwable failure, boolean last) {
    }

    private final BlockingQueue<Chunk<T>> queue = new ArrayBlockingQueue<>(2);
    private final int chunkSize;
    private final Thread producer;
    private volatile boolean stopping;
    private Iterator<T> current;
    private Chunk<T> lastChunk;

    Prefetcher(Supplier<CloseableIterator<T>> upstream, int n) {
        this.chunkSize = Math.max(1, n / 2);
        this.producer = new Thread(() -> produce(upstream), "tessera-prefetch-" + THREADS.incrementAndGet());
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(Supplier<CloseableIterator<T>> upstream) {
        List<T> chunk = new ArrayList<>(chunkSize);
        Throwable failure = null;
        long lastSent = System.nanoTime();
        try (CloseableIterator<T> src = upstream.get()) {
            while (!stopping && src.hasNext()) {
                chunk.add(src.next());
                int size = chunk.size();
                // The clock is read at sizes 1, 2, 4, 8, ...: a slow element still goes at once, and fast
                // ones do not pay for a clock read each (~25 ns on a VM), at most doubling a chunk's wait.
                if (size >= chunkSize || (size & (size - 1)) == 0 && System.nanoTime() - lastSent >= FLUSH_NANOS) {
                    queue.put(new Chunk<>(chunk, null, false));
                    chunk = new ArrayList<>(chunkSize);
                    lastSent = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        if (stopping) {
            return;
        }
        try {
            queue.put(new Chunk<>(chunk, failure, true));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected T fetch() {
        while (current == null || !current.hasNext()) {
            if (lastChunk != null) {
                return finish();
            }
            Chunk<T> c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("prefetch: interrupted while waiting for the producer thread", e);
            }
            current = c.values().iterator();
            if (c.last()) {
                lastChunk = c;
            }
        }
        return current.next();
    }

    private T finish() {
        Throwable failure = lastChunk.failure();
        if (failure == null) {
            return end();
        }
        failure.addSuppressed(new IllegalStateException("prefetch: rethrown on the consumer thread"));
        if (failure instanceof Error err) {
            throw err;
        }
        throw (RuntimeException) failure;
    }

    /** Whether the producer thread is still running (for tests and diagnostics). */
    boolean producerAlive() {
        return producer.isAlive();
    }

    @Override
    protected void release() {
        stopping = true;
        producer.interrupt();
        queue.clear();
        try {
            producer.join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
