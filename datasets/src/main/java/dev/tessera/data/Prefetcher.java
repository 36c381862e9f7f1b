package dev.tessera.data;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs an upstream iterator on a background daemon thread, keeping up to {@code n} elements
 * ready. An exception in the producer is rethrown to the consumer as the same object (its type
 * and cause intact), with the consumer's stack attached as a suppressed exception. Closing stops
 * the thread, which closes the upstream iterator on its own thread.
 */
final class Prefetcher<T> extends LookaheadIterator<T> {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final long JOIN_MILLIS = 10_000;

    /** What travels through the queue: an element, the end, or the producer's failure. */
    private record Item<T>(T value, Throwable failure, boolean last) {
    }

    private final BlockingQueue<Item<T>> queue;
    private final Thread producer;
    private volatile boolean stopping;

    Prefetcher(Supplier<CloseableIterator<T>> upstream, int n) {
        this.queue = new ArrayBlockingQueue<>(n);
        this.producer = new Thread(() -> produce(upstream), "tessera-prefetch-" + THREADS.incrementAndGet());
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(Supplier<CloseableIterator<T>> upstream) {
        Item<T> last = new Item<>(null, null, true);
        try (CloseableIterator<T> src = upstream.get()) {
            while (!stopping && src.hasNext()) {
                queue.put(new Item<>(src.next(), null, false));
            }
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException | Error e) {
            last = new Item<>(null, e, true);
        }
        if (stopping) {
            return;
        }
        try {
            queue.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    protected T fetch() {
        Item<T> item;
        try {
            item = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("prefetch: interrupted while waiting for the producer thread", e);
        }
        if (item.failure() != null) {
            item.failure().addSuppressed(new IllegalStateException("prefetch: rethrown on the consumer thread"));
            if (item.failure() instanceof Error err) {
                throw err;
            }
            throw (RuntimeException) item.failure();
        }
        return item.last() ? end() : item.value();
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
