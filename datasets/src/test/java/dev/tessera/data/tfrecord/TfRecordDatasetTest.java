package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.data.DataFileException;
import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.Int64List;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads sharded TFRecord files in order and interleaved, as Examples. */
class TfRecordDatasetTest {
    @TempDir
    Path dir;

    private static Example idExample(long id) {
        return Example.newBuilder().setFeatures(Features.newBuilder().putFeature("id",
                Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(id)).build())).build();
    }

    private List<Path> shards(int count, int perShard, boolean gzip) {
        List<Path> files = new java.util.ArrayList<>();
        for (int s = 0; s < count; s++) {
            Path f = dir.resolve("shard-" + s + (gzip ? ".gz" : ""));
            try (TfRecordWriter w = new TfRecordWriter(f, gzip)) {
                for (int i = 0; i < perShard; i++) {
                    w.write(idExample(100L * s + i));
                }
            }
            files.add(f);
        }
        return files;
    }

    private static List<Long> ids(TfRecordDataset d) {
        return d.examples().map(e -> e.int64("id")).toList();
    }

    @Test
    void readsShardsInOrderOrInterleaved() {
        List<Path> files = shards(3, 2, false);
        assertEquals(List.of(0L, 1L, 100L, 101L, 200L, 201L), ids(TfRecordDataset.of(files, false)));
        assertEquals(List.of(0L, 100L, 200L, 1L, 101L, 201L), ids(TfRecordDataset.of(files, true)));
    }

    @Test
    void decodeFromSharedBuffersMatchesTheCopyingPath() {
        for (boolean gz : new boolean[] {false, true}) {
            List<Path> files = shards(3, 40, gz);
            for (boolean interleaved : new boolean[] {false, true}) {
                TfRecordDataset d = TfRecordDataset.of(files, interleaved);
                assertEquals(ids(d), d.decode(e -> e.int64("id")).toList());
                assertEquals(d.map(r -> r.location().byteOffset()).toList(),
                        d.decode(e -> e.location().byteOffset()).toList());
            }
        }
        TfRecordDataset d = TfRecordDataset.of(shards(1, 2, false), false);
        assertThrows(IllegalStateException.class, () -> d.decode(e -> null).toList());
        assertThrows(IllegalArgumentException.class, () -> d.decode(null));
    }

    @Test
    void nullFilesAreRejectedByName() {
        List<Path> files = shards(1, 1, false);
        assertThrows(IllegalArgumentException.class, () -> TfRecordDataset.of(java.util.Arrays.asList(files.get(0), null), false));
        assertThrows(IllegalArgumentException.class, () -> TfRecordDataset.of(List.of(), true));
    }

    @Test
    void prefetchedReaderErrorsReachTheConsumer() throws Exception {
        List<Path> files = shards(2, 3, false);
        byte[] b = Files.readAllBytes(files.get(1));
        b[b.length - 1] ^= 0x10;
        Files.write(files.get(1), b);
        DataFileException e = assertThrows(DataFileException.class,
                () -> TfRecordDataset.of(files, true).prefetch(4).map(r -> r.features().int64("id")).toList());
        assertTrue(e.getMessage().contains("shard-1, record 2"), e.getMessage());
    }

    @Test
    void recordsCarryTheirFileIndexAndOffset() {
        List<Path> files = shards(2, 2, true);
        List<TfRecord> recs = TfRecordDataset.of(files, false).toList();
        assertEquals(files.get(1), recs.get(3).location().file());
        assertEquals(1, recs.get(3).location().recordIndex());
        assertEquals(recs.get(0).data().length + 16, recs.get(1).location().byteOffset());
    }

    @Test
    void parseErrorsNameTheRecord() throws Exception {
        Path f = dir.resolve("junk.tfrecord");
        try (TfRecordWriter w = new TfRecordWriter(f, false)) {
            w.write(idExample(1));
            w.write(new byte[] {(byte) 0xFF, (byte) 0xFF});
        }
        DataFileException e = assertThrows(DataFileException.class, () -> ids(TfRecordDataset.of(f)));
        assertTrue(e.getMessage().contains("junk.tfrecord, record 1 at byte offset"), e.getMessage());
        DataFileException shared = assertThrows(DataFileException.class,
                () -> TfRecordDataset.of(f).decode(x -> x.int64("id")).toList());
        assertEquals(e.getMessage(), shared.getMessage());
    }

    @Test
    void skippedCorruptRecordsAreCountedAcrossShards() throws Exception {
        List<Path> files = shards(2, 3, false);
        for (Path f : files) {
            byte[] b = Files.readAllBytes(f);
            b[b.length - 1] ^= 0x10;
            Files.write(f, b);
        }
        TfRecordDataset d = TfRecordDataset.of(files, true, TfRecordReader.Options.defaults().skipCorrupt(true));
        assertEquals(List.of(0L, 100L, 1L, 101L), ids(d));
        assertEquals(2, d.corruptRecordsSkipped());
        assertEquals(List.of(0L, 1L, 100L, 101L), ids(d).stream().sorted().collect(Collectors.toList()));
    }
}
