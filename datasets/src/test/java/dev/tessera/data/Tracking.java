package dev.tessera.data;

/** Test helper: a dataset whose iterators run callbacks when opened and closed. */
final class Tracking {
    private Tracking() {
    }

    static <T> Dataset<T> watch(Dataset<T> d, Runnable onOpen, Runnable onClose) {
        return Dataset.from(() -> {
            onOpen.run();
            return new Watched<>(d.iterator(), onClose);
        });
    }

    private static final class Watched<T> implements CloseableIterator<T> {
        private final CloseableIterator<T> inner;
        private final Runnable onClose;

        Watched(CloseableIterator<T> inner, Runnable onClose) {
            this.inner = inner;
            this.onClose = onClose;
        }

        @Override
        public boolean hasNext() {
            return inner.hasNext();
        }

        @Override
        public T next() {
            return inner.next();
        }

        @Override
        public void close() {
            onClose.run();
            inner.close();
        }
    }
}
