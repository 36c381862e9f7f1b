package dev.tessera.data.tfrecord;

import static dev.tessera.data.TestFiles.gzip;
import static dev.tessera.data.tfrecord.TfRecordWriterTest.ABC_RECORD;
import static dev.tessera.data.tfrecord.TfRecordWriterTest.EMPTY_RECORD;
import static dev.tessera.data.tfrecord.TfRecordWriterTest.concat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.data.DataFileException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads hand-made TFRecord bytes, plain and GZIP, and checks every corruption is reported with its file and offset. */
class TfRecordReaderTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, content);
        return f;
    }

    private static List<byte[]> readAll(TfRecordReader r) {
        List<byte[]> out = new ArrayList<>();
        try (r) {
            r.forEachRemaining(out::add);
        }
        return out;
    }

    @Test
    void readsHandWrittenRecordsWithLocations() throws Exception {
        Path f = file("a.tfrecord", concat(EMPTY_RECORD, ABC_RECORD, EMPTY_RECORD));
        try (TfRecordReader r = new TfRecordReader(f)) {
            assertFalse(r.isGzip());
            assertArrayEquals(new byte[0], r.next());
            assertEquals(0, r.lastLocation().byteOffset());
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, r.next());
            assertEquals(1, r.lastLocation().recordIndex());
            assertEquals(16, r.lastLocation().byteOffset());
            assertArrayEquals(new byte[0], r.next());
            assertEquals(35, r.lastLocation().byteOffset());
            assertFalse(r.hasNext());
            assertThrows(NoSuchElementException.class, r::next);
        }
    }

    @Test
    void emptyFileHasNoRecords() throws Exception {
        assertEquals(0, readAll(new TfRecordReader(file("e.tfrecord", new byte[0]))).size());
    }

    @Test
    void gzipIsDetectedAutomaticallyAndCanBeForced() throws Exception {
        Path f = file("a.tfrecord.gz", gzip(concat(ABC_RECORD, EMPTY_RECORD)));
        TfRecordReader auto = new TfRecordReader(f);
        assertTrue(auto.isGzip());
        assertEquals(2, readAll(auto).size());
        var forced = new TfRecordReader(f, TfRecordReader.Options.defaults().compression(TfRecordReader.Compression.GZIP));
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, readAll(forced).get(0));
    }

    @Test
    void plainRecordStartingWithGzipMagicIsNotMistakenForGzip() throws Exception {
        byte[] payload = new byte[0x8b1f];
        new Random(1).nextBytes(payload);
        Path f = dir.resolve("magic.tfrecord");
        try (TfRecordWriter w = new TfRecordWriter(f, false)) {
            w.write(payload);
        }
        byte[] raw = Files.readAllBytes(f);
        assertEquals(0x1f, raw[0]);
        assertEquals((byte) 0x8b, raw[1]);
        List<byte[]> got = readAll(new TfRecordReader(f));
        assertArrayEquals(payload, got.get(0));
    }

    @Test
    void roundTripsRecordsLargerThanTheBuffer() throws Exception {
        Random rnd = new Random(3);
        List<byte[]> written = new ArrayList<>();
        for (int n : new int[] {5, 3 << 20, 0, 700_000, 1 << 20, 17}) {
            byte[] d = new byte[n];
            rnd.nextBytes(d);
            written.add(d);
        }
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("big" + gz);
            try (TfRecordWriter w = new TfRecordWriter(f, gz)) {
                written.forEach(w::write);
            }
            List<byte[]> read = readAll(new TfRecordReader(f));
            assertEquals(written.size(), read.size());
            for (int i = 0; i < read.size(); i++) {
                assertArrayEquals(written.get(i), read.get(i), "record " + i + " gzip=" + gz);
            }
        }
    }

    @Test
    void sharedViewsHoldTheSamePayloadsAsNext() throws Exception {
        Random rnd = new Random(4);
        List<byte[]> written = new ArrayList<>();
        // Sizes around the 1 MiB buffer: records wholly buffered, straddling its end, and larger than it;
        // runs of records of 1/8 of it and more, each read to the end of the next header (1 MiB - 16 exactly fills it).
        for (int n : new int[] {5, 600_000, 600_000, 0, 3 << 20, 1 << 20, (1 << 20) - 16, 17, 700_000, 40,
            131_072, 131_071, 200_000, 9, 200_000, (1 << 20) - 15, 300_000}) {
            byte[] d = new byte[n];
            rnd.nextBytes(d);
            written.add(d);
        }
        for (boolean gz : new boolean[] {false, true}) {
            Path f = dir.resolve("shared" + gz);
            try (TfRecordWriter w = new TfRecordWriter(f, gz)) {
                written.forEach(w::write);
            }
            try (TfRecordReader plain = new TfRecordReader(f); TfRecordReader shared = new TfRecordReader(f)) {
                for (int i = 0; i < written.size(); i++) {
                    ByteBuffer view = i == 3 && shared.hasNext() ? shared.nextShared() : shared.nextShared();
                    byte[] got = Arrays.copyOfRange(view.array(), view.arrayOffset() + view.position(),
                            view.arrayOffset() + view.limit());
                    assertArrayEquals(written.get(i), got, "record " + i + " gzip=" + gz);
                    assertArrayEquals(plain.next(), got);
                    assertEquals(plain.lastLocation(), shared.lastLocation());
                }
                assertNull(shared.nextShared());
                assertFalse(shared.hasNext());
            }
        }
    }

    @Test
    void sharedReadsCheckTheDataCrcToo() throws Exception {
        byte[] bad = concat(ABC_RECORD, ABC_RECORD);
        bad[19 + 12] ^= 0x01;
        try (TfRecordReader r = new TfRecordReader(file("bad-shared.tfrecord", bad))) {
            assertEquals(3, r.nextShared().remaining());
            DataFileException e = assertThrows(DataFileException.class, r::nextShared);
            assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
            assertEquals(19, e.location().byteOffset());
        }
        try (TfRecordReader r = new TfRecordReader(file("bad-skip.tfrecord", bad), TfRecordReader.Options.defaults().skipCorrupt(true))) {
            assertEquals(3, r.nextShared().remaining());
            assertNull(r.nextShared());
            assertEquals(1, r.corruptRecordsSkipped());
        }
    }

    @Test
    void badDataCrcNamesFileRecordAndOffset() throws Exception {
        byte[] bad = concat(EMPTY_RECORD, ABC_RECORD);
        bad[16 + 12 + 1] ^= 0x01;
        Path f = file("bad.tfrecord", bad);
        TfRecordReader r = new TfRecordReader(f);
        r.next();
        DataFileException e = assertThrows(DataFileException.class, r::next);
        assertTrue(e.getMessage().contains("data CRC mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("bad.tfrecord, record 1 at byte offset 16"), e.getMessage());
        assertEquals(1, e.location().recordIndex());
        assertEquals(16, e.location().byteOffset());
        r.close();
    }

    @Test
    void badLengthCrcIsReported() throws Exception {
        byte[] bad = concat(ABC_RECORD, ABC_RECORD);
        bad[19 + 9] ^= 0x40;
        DataFileException e = assertThrows(DataFileException.class, () -> readAll(new TfRecordReader(file("l.tfrecord", bad))));
        assertTrue(e.getMessage().startsWith("tfrecord: length CRC mismatch"), e.getMessage());
        assertEquals(19, e.location().byteOffset());
    }

    @Test
    void truncatedFileIsReportedNotSilentlyShortened() throws Exception {
        byte[] whole = concat(ABC_RECORD, ABC_RECORD);
        for (int cut : new int[] {19 + 5, 19 + 12, 19 + 15, whole.length - 1}) {
            Path f = file("t" + cut + ".tfrecord", Arrays.copyOf(whole, cut));
            DataFileException e = assertThrows(DataFileException.class, () -> readAll(new TfRecordReader(f)));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("exceeds"), e.getMessage());
            assertEquals(1, e.location().recordIndex(), e.getMessage());
            assertEquals(19, e.location().byteOffset());
        }
    }

    @Test
    void hugeLengthWithValidCrcIsRejectedBeforeAllocating() throws Exception {
        byte[] header = new byte[12];
        Bytes.putLongLE(header, 0, 1L << 40);
        Bytes.putIntLE(header, 8, Crc32c.maskedCrc(header, 0, 8));
        Path f = file("huge.tfrecord", concat(header, new byte[100]));
        DataFileException e = assertThrows(DataFileException.class, () -> readAll(new TfRecordReader(f)));
        assertTrue(e.getMessage().contains("record length 1099511627776 exceeds"), e.getMessage());

        Bytes.putLongLE(header, 0, 1L << 30);
        Bytes.putIntLE(header, 8, Crc32c.maskedCrc(header, 0, 8));
        Path gz = file("huge.tfrecord.gz", gzip(concat(header, new byte[100])));
        DataFileException g = assertThrows(DataFileException.class, () -> readAll(new TfRecordReader(gz)));
        assertTrue(g.getMessage().contains("truncated record"), g.getMessage());
    }

    @Test
    void skipCorruptSkipsBadRecordsAndResynchronises() throws Exception {
        byte[] badData = ABC_RECORD.clone();
        badData[13] ^= 1;
        byte[] badHeader = ABC_RECORD.clone();
        badHeader[2] = 7;
        byte[] content = concat(ABC_RECORD, badData, EMPTY_RECORD, badHeader, ABC_RECORD, Arrays.copyOf(ABC_RECORD, 10));
        var opts = TfRecordReader.Options.defaults().skipCorrupt(true);
        TfRecordReader r = new TfRecordReader(file("s.tfrecord", content), opts);
        List<byte[]> got = readAll(r);
        assertEquals(3, got.size());
        assertArrayEquals(new byte[0], got.get(1));
        assertArrayEquals(new byte[] {'a', 'b', 'c'}, got.get(2));
        assertEquals(3, r.corruptRecordsSkipped());
    }

    @Test
    void corruptGzipStreamIsADataFileException() throws Exception {
        byte[] gz = gzip(concat(ABC_RECORD, ABC_RECORD, ABC_RECORD));
        byte[] cut = Arrays.copyOf(gz, gz.length - 10);
        Path f = file("cut.gz", cut);
        DataFileException e = assertThrows(DataFileException.class, () -> readAll(new TfRecordReader(f)));
        assertTrue(e.getMessage().contains("cut.gz"), e.getMessage());
        TfRecordReader skipping = new TfRecordReader(f, TfRecordReader.Options.defaults().skipCorrupt(true));
        readAll(skipping);
        assertTrue(skipping.corruptRecordsSkipped() >= 1);
    }

    @Test
    void readsRecordsAppendedAfterOpening() throws Exception {
        Path f = file("growing.tfrecord", ABC_RECORD);
        try (TfRecordReader r = new TfRecordReader(f)) {
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, r.next());
            Files.write(f, concat(ABC_RECORD, ABC_RECORD));
            assertTrue(r.hasNext(), "a record appended after opening is read, not rejected by the size seen at open");
            assertArrayEquals(new byte[] {'a', 'b', 'c'}, r.next());
            assertEquals(19, r.lastLocation().byteOffset());
        }
    }

    @Test
    void usingAClosedReaderIsAnError() throws Exception {
        TfRecordReader r = new TfRecordReader(file("c.tfrecord", ABC_RECORD));
        r.close();
        assertThrows(IllegalStateException.class, r::hasNext);
        assertThrows(IllegalStateException.class, r::lastLocation);
    }
}
