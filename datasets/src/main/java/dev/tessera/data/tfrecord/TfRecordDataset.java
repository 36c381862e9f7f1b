package dev.tessera.data.tfrecord;

import dev.tessera.data.CloseableIterator;
import dev.tessera.data.Dataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The records of one or more TFRecord shards as a {@link Dataset}, read in order or interleaved
 * (one record from each shard in turn, at most {@link #MAX_OPEN_SHARDS} open at once).
 * With {@code skipCorrupt} the number of skipped records is summed in {@link #corruptRecordsSkipped()}.
 */
public final class TfRecordDataset extends Dataset<TfRecord> {
    /** Shards open at once when interleaving (each holds a 1 MiB buffer). */
    public static final int MAX_OPEN_SHARDS = 16;

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
        List<Dataset<TfRecord>> shards = new ArrayList<>();
        for (Path f : List.copyOf(files)) {
            shards.add(Dataset.from(() -> new ShardIterator(new TfRecordReader(f, options), skipped)));
        }
        this.records = openShards == 0 ? Dataset.concat(shards) : Dataset.interleave(shards, openShards, 1);
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

    /** Corrupt records skipped by all iterators so far (only with skipCorrupt). */
    public long corruptRecordsSkipped() {
        return skipped.get();
    }

    @Override
    public CloseableIterator<TfRecord> iterator() {
        return records.iterator();
    }

    /** Pairs each record with its location and adds the reader's skip count to the dataset's total on close. */
    private static final class ShardIterator implements CloseableIterator<TfRecord> {
        private final TfRecordReader reader;
        private final AtomicLong skipped;
        private boolean closed;

        ShardIterator(TfRecordReader reader, AtomicLong skipped) {
            this.reader = reader;
            this.skipped = skipped;
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

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                skipped.addAndGet(reader.corruptRecordsSkipped());
                reader.close();
            }
        }
    }
}
