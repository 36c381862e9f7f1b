package dev.tessera.data.clevr;

import dev.tessera.data.tfrecord.TfRecordWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one split of a CLEVR dataset as TFRecord shards named like TensorFlow's,
 * {@code <split>/<split>-00000-of-00004.tfrecord} (".gz" appended when compressed). Records go to shards in
 * contiguous blocks, so reading the shards in name order gives the images in the order written.
 */
public final class ClevrWriter implements AutoCloseable {
    private final Path directory;
    private final String split;
    private final int shards;
    private final long total;
    private final boolean gzip;
    private TfRecordWriter current;
    private int currentShard = -1;
    private long written;

    /** A writer for {@code total} records of {@code split} under {@code root}, spread over {@code shards} files. */
    public ClevrWriter(Path root, String split, int shards, long total, boolean gzip) throws IOException {
        if (shards < 1 || total < 0 || (total > 0 && shards > total)) {
            throw new IllegalArgumentException("ClevrWriter: need 1 <= shards <= records — got " + shards
                    + " shards for " + total + " records of " + split);
        }
        this.directory = Files.createDirectories(root.resolve(split));
        this.split = split;
        this.shards = shards;
        this.total = total;
        this.gzip = gzip;
    }

    /** The file name of shard {@code shard}, e.g. "train-00001-of-00004.tfrecord". */
    public static String shardName(String split, int shard, int shards, boolean gzip) {
        return String.format("%s-%05d-of-%05d.tfrecord%s", split, shard, shards, gzip ? ".gz" : "");
    }

    /** Appends one serialized tf.train.Example (see {@link ClevrRecord}). */
    public void write(byte[] example) {
        if (written >= total) {
            throw new IllegalStateException("ClevrWriter: " + split + " already holds its " + total + " records");
        }
        int shard = (int) (written * shards / total);
        if (shard != currentShard) {
            closeCurrent();
            current = new TfRecordWriter(directory.resolve(shardName(split, shard, shards, gzip)), gzip);
            currentShard = shard;
        }
        current.write(example);
        written++;
    }

    /** Records written so far. */
    public long written() {
        return written;
    }

    /** Closes the open shard; fails when fewer records were written than announced (shards would be missing). */
    @Override
    public void close() {
        closeCurrent();
        if (written != total) {
            throw new IllegalStateException("ClevrWriter: " + split + " got " + written + " of " + total
                    + " records; its shards are incomplete");
        }
    }

    private void closeCurrent() {
        if (current != null) {
            current.close();
            current = null;
        }
    }
}
