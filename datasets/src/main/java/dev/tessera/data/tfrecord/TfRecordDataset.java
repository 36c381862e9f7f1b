package dev.tessera.data.tfrecord;

import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Dataset;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The records of one or more TFRecord shards as a {@link Dataset}, read in order or interleaved
 * (one record from each shard in turn, at most {@link #MAX_OPEN_SHARDS} open at once).
 * With {@code skipCorrupt} the number of skipped records is summed in {@link #corruptRecordsSkipped()}.
 */
public final class TfRecordDataset extends Dataset<TfRecord> {
    /** Shards open at once when interleaving (each holds a 1 MiB buffer). */
    public static final int MAX_OPEN_SHARDS = 16;

    private final List<Path> files;
    private final int openShards;
    private final TfRecordReader.Options options;
    private final Dataset<TfRecord> records;
    private final AtomicLong skipped = new AtomicLong();

    /** {@code openShards} 0 reads in file order; otherwise round-robin over that many open shards. */
    private TfRecordDataset(List<Path> files, int openShards, TfRecordReader.Options options) {
        // NOTE: not files.contains(null) — List.of(...) throws on a null query.
        if (files == null || files.isEmpty() || files.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("TfRecordDataset: a non-empty list of files is needed — got " + files);
        }
        if (options == null) {
            throw new IllegalArgumentException("TfRecordDataset: options must not be null");
        }
        this.files = List.copyOf(files);
        this.openShards = openShards;
        this.options = options;
        this.records = shards(f -> new ShardIterator(new TfRecordReader(f, options), skipped));
    }

    private <T> Dataset<T> shards(Function<Path, CloseableIterator<T>> open) {
        List<Dataset<T>> shards = new ArrayList<>();
        for (Path f : files) {
            shards.add(Dataset.from(() -> open.apply(f)));
        }
        return openShards == 0 ? Dataset.concat(shards) : Dataset.interleave(shards, openShards, 1);
    }

    /** The records of {@code files}, in file order or interleaved; corrupt records are errors, compression is detected. */
    public static TfRecordDataset of(List<Path> files, boolean interleaved) {
        return of(files, interleaved, TfRecordReader.Options.defaults());
    }

    /** As {@link #of(List, boolean)} with explicit reader options. */
    public static TfRecordDataset of(List<Path> files, boolean interleaved, TfRecordReader.Options options) {
        return new TfRecordDataset(files, interleaved ? MAX_OPEN_SHARDS : 0, options);
    }

    /** The records of one file. */
    public static TfRecordDataset of(Path file) {
        return of(List.of(file), false);
    }

    /** The records parsed as tf.train.Example. */
    public Dataset<ExampleFeatures> examples() {
        return map(TfRecord::features);
    }

    /**
     * Each record parsed as a tf.train.Example and handed to {@code decoder} straight from the
     * reader's reused buffer ({@link TfRecordReader#nextShared()}): no array is allocated or
     * copied per record. The features and every ByteString taken from them are valid only inside
     * the call, so {@code decoder} must copy out what it keeps (decoded pixels, strings, numbers).
     */
    public <T> Dataset<T> decode(Function<ExampleFeatures, T> decoder) {
        if (decoder == null) {
            throw new IllegalArgumentException("TfRecordDataset: decoder must not be null");
        }
        return shards(f -> new DecodingIterator<>(new TfRecordReader(f, options), skipped, decoder));
    }

    /** Corrupt records skipped by all iterators so far (only with skipCorrupt). */
    public long corruptRecordsSkipped() {
        return skipped.get();
    }

    @Override
    public CloseableIterator<TfRecord> iterator() {
        return records.iterator();
    }

    /** Pairs each record with its location and adds the reader's skip count to the dataset's total on close. */
    /** Reads one shard; closing it adds the reader's skipped-record count to the dataset's total. */
    private abstract static class ShardCursor<T> implements CloseableIterator<T> {
        final TfRecordReader reader;
        private final AtomicLong skipped;
        private boolean closed;

        ShardCursor(TfRecordReader reader, AtomicLong skipped) {
            this.reader = reader;
            this.skipped = skipped;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                skipped.addAndGet(reader.corruptRecordsSkipped());
                reader.close();
            }
        }
    }

    /** The records of one shard, each in an array of its own. */
    private static final class ShardIterator extends ShardCursor<TfRecord> {
        ShardIterator(TfRecordReader reader, AtomicLong skipped) {
            super(reader, skipped);
        }

        @Override
        public boolean hasNext() {
            return reader.hasNext();
        }

        @Override
        public TfRecord next() {
            byte[] data = reader.next();
            return new TfRecord(reader.lastLocation(), data);
        }
    }

    /** Decodes each record of one shard from the reader's shared buffer, one record ahead. */
    private static final class DecodingIterator<T> extends ShardCursor<T> {
        private final Function<ExampleFeatures, T> decoder;
        private T next;
        private boolean done;

        DecodingIterator(TfRecordReader reader, AtomicLong skipped, Function<ExampleFeatures, T> decoder) {
            super(reader, skipped);
            this.decoder = decoder;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) {
                ByteBuffer view = reader.nextShared();
                if (view == null) {
                    done = true;
                } else {
                    next = decoder.apply(ExampleFeatures.parse(view.array(), view.arrayOffset() + view.position(),
                            view.remaining(), reader.lastLocation()));
                    if (next == null) {
                        throw new IllegalStateException("TfRecordDataset: the decoder returned null for the record at "
                                + reader.lastLocation());
                    }
                }
            }
            return next != null;
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("TfRecordDataset: no more records in " + reader.path());
            }
            T r = next;
            next = null;
            return r;
        }
    }
}
