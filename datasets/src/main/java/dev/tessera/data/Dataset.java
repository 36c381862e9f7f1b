package dev.tessera.data;

import dev.tessera.Tensor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A re-iterable, lazily evaluated sequence of elements in the style of tf.data: each
 * {@link #iterator()} starts from the beginning and must be closed (for-each loops over a
 * Dataset should use {@link #forEach(Consumer)}, which closes it). Transformations return new
 * datasets and leave this one unchanged.
 */
public abstract class Dataset<T> implements Iterable<T> {

    /** A fresh iterator from the first element. */
    @Override
    public abstract CloseableIterator<T> iterator();

    /** A dataset whose iterators come from {@code iterators}, called once per {@link #iterator()}. */
    public static <T> Dataset<T> from(Supplier<? extends CloseableIterator<T>> iterators) {
        if (iterators == null) {
            throw new IllegalArgumentException("dataset: iterator supplier must not be null");
        }
        return new Dataset<>() {
            @Override
            public CloseableIterator<T> iterator() {
                return iterators.get();
            }
        };
    }

    /** The elements of a list (which must not change while iterated). */
    public static <T> Dataset<T> fromList(List<? extends T> elements) {
        if (elements == null) {
            throw new IllegalArgumentException("dataset: list must not be null");
        }
        return from(() -> wrap(elements.iterator()));
    }

    /** The longs 0, 1, ..., n - 1. */
    public static Dataset<Long> range(long n) {
        return from(() -> new LookaheadIterator<Long>() {
            private long i;

            @Override
            protected Long fetch() {
                // NOTE: not a ternary — `i < n ? i++ : end()` would unbox end()'s null.
                if (i >= n) {
                    return end();
                }
                return i++;
            }

            @Override
            protected void release() {
            }
        });
    }

    /** All elements of each source in order; one source is open at a time. */
    public static <T> Dataset<T> concat(List<? extends Dataset<? extends T>> sources) {
        List<? extends Dataset<? extends T>> copy = List.copyOf(sources);
        return from(() -> Stages.concat(copy));
    }

    /**
     * Round-robin over the sources, {@code blockLength} elements at a time, with at most
     * {@code cycleLength} sources open at once (tf.data's interleave).
     */
    public static <T> Dataset<T> interleave(List<? extends Dataset<? extends T>> sources, int cycleLength, int blockLength) {
        if (cycleLength < 1 || blockLength < 1) {
            throw new IllegalArgumentException("interleave: cycleLength and blockLength must be >= 1 — got "
                    + cycleLength + " and " + blockLength);
        }
        List<? extends Dataset<? extends T>> copy = List.copyOf(sources);
        int cycle = Math.max(1, Math.min(cycleLength, copy.size()));
        return from(() -> Stages.interleave(copy, cycle, blockLength));
    }

    /** Applies {@code fn} to each element. */
    public <R> Dataset<R> map(Function<? super T, ? extends R> fn) {
        requireNonNull(fn, "map");
        return from(() -> Stages.map(iterator(), fn));
    }

    /** Keeps the elements for which {@code keep} is true. */
    public Dataset<T> filter(Predicate<? super T> keep) {
        requireNonNull(keep, "filter");
        return from(() -> Stages.filter(iterator(), keep));
    }

    /** At most the first {@code n} elements. */
    public Dataset<T> take(long n) {
        checkCount(n, "take");
        return from(() -> Stages.take(iterator(), n));
    }

    /** All but the first {@code n} elements. */
    public Dataset<T> skip(long n) {
        checkCount(n, "skip");
        return from(() -> Stages.skip(iterator(), n));
    }

    /** The elements {@code count} times over. */
    public Dataset<T> repeat(long count) {
        checkCount(count, "repeat");
        return from(() -> Stages.repeat(this, count));
    }

    /** The elements over and over (an empty dataset stays empty). */
    public Dataset<T> repeat() {
        return from(() -> Stages.repeat(this, -1));
    }

    /**
     * Shuffles through a buffer of {@code bufferSize} elements (a buffer at least the dataset's size
     * gives a uniform permutation). Each new iterator uses the next seed of a sequence started from
     * {@code seed}, so epochs differ from one another but the whole run repeats exactly.
     */
    public Dataset<T> shuffle(int bufferSize, long seed) {
        return shuffle(bufferSize, seed, true);
    }

    /** As {@link #shuffle(int, long)}; with {@code reshuffleEachIteration} false every iterator gives the same order. */
    public Dataset<T> shuffle(int bufferSize, long seed, boolean reshuffleEachIteration) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("shuffle: bufferSize must be >= 1 — got " + bufferSize);
        }
        AtomicLong epoch = new AtomicLong();
        return from(() -> {
            long e = reshuffleEachIteration ? epoch.getAndIncrement() : 0;
            SplittableRandom rnd = new SplittableRandom(seed);
            for (long i = 0; i < e; i++) {
                rnd = rnd.split();
            }
            return Stages.shuffle(iterator(), bufferSize, rnd);
        });
    }

    /** Groups consecutive elements into lists of {@code size}; the last may be shorter. */
    public Dataset<List<T>> batch(int size) {
        return batch(size, false);
    }

    /** Groups consecutive elements into lists of {@code size}; with {@code dropRemainder} a short last group is dropped. */
    public Dataset<List<T>> batch(int size, boolean dropRemainder) {
        if (size < 1) {
            throw new IllegalArgumentException("batch: size must be >= 1 — got " + size);
        }
        return from(() -> Stages.batch(iterator(), size, dropRemainder));
    }

    /** Groups elements into lists of {@code size} and turns each list into one value with {@code collate} (see {@link Collate}). */
    public <R> Dataset<R> batch(int size, boolean dropRemainder, Function<? super List<T>, ? extends R> collate) {
        requireNonNull(collate, "batch");
        return batch(size, dropRemainder).map(collate);
    }

    /**
     * Batches sequences (int[], long[], float[] or 1-D tensors) into one (batch, longest) tensor,
     * padding the shorter ones with 0 at the end (see {@link Collate#padded()}).
     */
    public Dataset<Tensor> paddedBatch(int size, boolean dropRemainder) {
        return batch(size, dropRemainder, Collate.padded());
    }

    /** Produces elements on a background thread, keeping up to {@code bufferSize} ready ahead of the consumer. */
    public Dataset<T> prefetch(int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("prefetch: bufferSize must be >= 1 — got " + bufferSize);
        }
        return from(() -> new Prefetcher<>(this::iterator, bufferSize));
    }

    /** Runs {@code action} on every element, closing the iterator afterwards even on failure. */
    @Override
    public void forEach(Consumer<? super T> action) {
        requireNonNull(action, "forEach");
        try (CloseableIterator<T> it = iterator()) {
            it.forEachRemaining(action);
        }
    }

    /** All elements in a list (for small datasets and tests). */
    public List<T> toList() {
        List<T> out = new ArrayList<>();
        forEach(out::add);
        return out;
    }

    /** Number of elements, by iterating once. */
    public long count() {
        long n = 0;
        try (CloseableIterator<T> it = iterator()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static <T> CloseableIterator<T> wrap(Iterator<? extends T> it) {
        return new LookaheadIterator<T>() {
            @Override
            protected T fetch() {
                return it.hasNext() ? it.next() : end();
            }

            @Override
            protected void release() {
            }
        };
    }

    private static void requireNonNull(Object fn, String op) {
        if (fn == null) {
            throw new IllegalArgumentException(op + ": function must not be null");
        }
    }

    private static void checkCount(long n, String op) {
        if (n < 0) {
            throw new IllegalArgumentException(op + ": count must be >= 0 — got " + n);
        }
    }
}
