package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Dataset;
import dev.tessera.data.Pair;
import dev.tessera.train.Batch;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Adapts a data pipeline to the {@link Batch}es {@code Trainer} reads. Each batch's tensors are closed when the
 * next one is requested and when iteration ends, so off-heap memory stays at a couple of batches however long
 * the epoch (the trainer keeps nothing from a batch after its step).
 */
public final class Batches {
    private Batches() {
    }

    /** Batches of ((questions, images), answers) as the two-input batches a question-answering model takes. */
    public static Iterable<Batch> ofQa(Dataset<Pair<Pair<Tensor, Tensor>, Tensor>> data) {
        return of(data, p -> new Batch(new Tensor[] {p.first().first(), p.first().second()}, p.second()));
    }

    /** Batches of (inputs, labels) pairs. */
    public static Iterable<Batch> ofPairs(Dataset<Pair<Tensor, Tensor>> data) {
        return of(data, p -> Batch.of(p.first(), p.second()));
    }

    /** Batches made from each element by {@code toBatch}. */
    public static <T> Iterable<Batch> of(Dataset<T> data, Function<T, Batch> toBatch) {
        return () -> new ClosingIterator<>(data.iterator(), toBatch);
    }

    private static final class ClosingIterator<T> implements Iterator<Batch>, AutoCloseable {
        private final CloseableIterator<T> source;
        private final Function<T, Batch> toBatch;
        private Batch previous;

        ClosingIterator(CloseableIterator<T> source, Function<T, Batch> toBatch) {
            this.source = source;
            this.toBatch = toBatch;
        }

        @Override
        public boolean hasNext() {
            return source.hasNext();
        }

        @Override
        public Batch next() {
            release();
            previous = toBatch.apply(source.next());
            return previous;
        }

        @Override
        public void close() {
            release();
            source.close();
        }

        private void release() {
            if (previous != null) {
                for (Tensor t : previous.inputs()) {
                    t.close();
                }
                previous.target().close();
                previous = null;
            }
        }
    }
}
