package dev.tessera.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;

/** The iterators behind each {@link Dataset} transformation. */
final class Stages {
    private Stages() {
    }

    /** A stage with one upstream iterator, closed with it. */
    abstract static class OneUpstream<S, T> extends LookaheadIterator<T> {
        final CloseableIterator<S> src;

        OneUpstream(CloseableIterator<S> src) {
            this.src = src;
        }

        @Override
        protected void release() {
            src.close();
        }
    }

    static <S, T> CloseableIterator<T> map(CloseableIterator<S> src, Function<? super S, ? extends T> fn) {
        return new OneUpstream<S, T>(src) {
            @Override
            protected T fetch() {
                return src.hasNext() ? fn.apply(src.next()) : end();
            }
        };
    }

    static <T> CloseableIterator<T> filter(CloseableIterator<T> src, Predicate<? super T> keep) {
        return new OneUpstream<T, T>(src) {
            @Override
            protected T fetch() {
                while (src.hasNext()) {
                    T t = src.next();
                    if (keep.test(t)) {
                        return t;
                    }
                }
                return end();
            }
        };
    }

    static <T> CloseableIterator<T> take(CloseableIterator<T> src, long n) {
        return new OneUpstream<T, T>(src) {
            private long taken;

            @Override
            protected T fetch() {
                if (taken >= n || !src.hasNext()) {
                    return end();
                }
                taken++;
                return src.next();
            }
        };
    }

    static <T> CloseableIterator<T> skip(CloseableIterator<T> src, long n) {
        return new OneUpstream<T, T>(src) {
            private long skipped;

            @Override
            protected T fetch() {
                while (skipped < n && src.hasNext()) {
                    src.next();
                    skipped++;
                }
                return src.hasNext() ? src.next() : end();
            }
        };
    }

    static <T> CloseableIterator<List<T>> batch(CloseableIterator<T> src, int size, boolean dropRemainder) {
        return new OneUpstream<T, List<T>>(src) {
            @Override
            protected List<T> fetch() {
                List<T> b = new ArrayList<>(size);
                while (b.size() < size && src.hasNext()) {
                    b.add(src.next());
                }
                if (b.isEmpty() || (dropRemainder && b.size() < size)) {
                    return end();
                }
                return b;
            }
        };
    }

    /**
     * TensorFlow's shuffle: keep a buffer of {@code size} elements, emit a uniformly chosen one and
     * put the next upstream element in its place.
     */
    static <T> CloseableIterator<T> shuffle(CloseableIterator<T> src, int size, SplittableRandom rnd) {
        return new OneUpstream<T, T>(src) {
            private final List<T> buffer = new ArrayList<>();

            @Override
            protected T fetch() {
                while (buffer.size() < size && src.hasNext()) {
                    buffer.add(src.next());
                }
                if (buffer.isEmpty()) {
                    return end();
                }
                int i = rnd.nextInt(buffer.size());
                T t = buffer.get(i);
                T last = buffer.remove(buffer.size() - 1);
                if (i < buffer.size()) {
                    buffer.set(i, last);
                }
                return t;
            }
        };
    }

    /**
     * Elements of each source in turn ({@code count} rounds, or forever when negative); a round
     * that yields nothing ends the repetition, so repeating an empty dataset terminates.
     */
    static <T> CloseableIterator<T> repeat(Dataset<T> source, long count) {
        return new LookaheadIterator<T>() {
            private CloseableIterator<T> current;
            private long round;
            private boolean sawElement;

            @Override
            protected T fetch() {
                while (true) {
                    if (current != null && current.hasNext()) {
                        sawElement = true;
                        return current.next();
                    }
                    if (current != null) {
                        current.close();
                        current = null;
                        round++;
                        if (!sawElement) {
                            return end();
                        }
                    }
                    if (count >= 0 && round >= count) {
                        return end();
                    }
                    sawElement = false;
                    current = source.iterator();
                }
            }

            @Override
            protected void release() {
                if (current != null) {
                    current.close();
                }
            }
        };
    }

    /** All elements of the first source, then the second, and so on; one source is open at a time. */
    static <T> CloseableIterator<T> concat(List<? extends Dataset<? extends T>> sources) {
        return interleave(sources, 1, Integer.MAX_VALUE);
    }

    /**
     * TensorFlow's interleave: {@code cycle} slots each hold an open source; {@code block}
     * elements are taken from a slot before moving to the next, an exhausted source frees its slot,
     * and a free slot opens the next unopened source when the cycle reaches it.
     */
    static <T> CloseableIterator<T> interleave(List<? extends Dataset<? extends T>> sources, int cycle, int block) {
        return new LookaheadIterator<T>() {
            private final Iterator<? extends Dataset<? extends T>> unopened = sources.iterator();
            private final List<CloseableIterator<? extends T>> slots = new ArrayList<>();
            private int slot;
            private int takenFromSlot;
            private int numOpen;

            @Override
            protected T fetch() {
                while (unopened.hasNext() || numOpen > 0) {
                    if (slots.size() <= slot) {
                        slots.add(null);
                    }
                    CloseableIterator<? extends T> it = slots.get(slot);
                    if (it == null) {
                        if (unopened.hasNext()) {
                            slots.set(slot, unopened.next().iterator());
                            numOpen++;
                        } else {
                            advance();
                        }
                        continue;
                    }
                    if (it.hasNext()) {
                        T t = it.next();
                        if (++takenFromSlot >= block) {
                            advance();
                        }
                        return t;
                    }
                    it.close();
                    slots.set(slot, null);
                    numOpen--;
                    advance();
                }
                return end();
            }

            private void advance() {
                slot = (slot + 1) % cycle;
                takenFromSlot = 0;
            }

            @Override
            protected void release() {
                RuntimeException first = null;
                for (CloseableIterator<? extends T> it : slots) {
                    try {
                        if (it != null) {
                            it.close();
                        }
                    } catch (RuntimeException e) {
                        first = first == null ? e : first;
                    }
                }
                slots.clear();
                if (first != null) {
                    throw first;
                }
            }
        };
    }
}
