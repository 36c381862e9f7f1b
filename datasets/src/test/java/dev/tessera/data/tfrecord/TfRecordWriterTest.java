package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks the writer's bytes against TFRecord framing worked out by hand. */
class TfRecordWriterTest {
    @TempDir
    Path dir;

    /** Length 0, masked CRC of eight zero bytes, no data, masked CRC of nothing (the mask delta). */
    static final byte[] EMPTY_RECORD = {
        0, 0, 0, 0, 0, 0, 0, 0,
        0x29, 0x03, (byte) 0x98, 0x07,
        (byte) 0xd8, (byte) 0xea, (byte) 0x82, (byte) 0xa2
    };

    /** The record holding "abc". */
    static final byte[] ABC_RECORD = {
        3, 0, 0, 0, 0, 0, 0, 0,
        (byte) 0xb0, (byte) 0x99, 0x49, 0x0e,
        'a', 'b', 'c',
        0x6e, 0x57, (byte) 0xf1, 0x21
    };

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            o.writeBytes(p);
        }
        return o.toByteArray();
    }

    @Test
    void handComputedConstantsAgreeWithBitwiseCrc() {
        byte[] eightZeros = new byte[8];
        assertEquals(0x07980329, Crc32c.mask(Crc32cTest.bitwiseCrc32c(eightZeros)));
        assertEquals(0x21f1576e, Crc32c.mask(Crc32cTest.bitwiseCrc32c(new byte[] {'a', 'b', 'c'})));
    }

    @Test
    void writesExactTfRecordFraming() throws Exception {
        Path f = dir.resolve("a.tfrecord");
        try (TfRecordWriter w = new TfRecordWriter(f, false)) {
            w.write(new byte[0]);
            w.write(new byte[] {'a', 'b', 'c'});
            assertEquals(2, w.recordsWritten());
        }
        assertArrayEquals(concat(EMPTY_RECORD, ABC_RECORD), Files.readAllBytes(f));
    }

    @Test
    void gzipWritesTheSameFramingCompressed() throws Exception {
        Path f = dir.resolve("a.tfrecord.gz");
        try (TfRecordWriter w = new TfRecordWriter(f, true)) {
            w.write(new byte[] {'a', 'b', 'c'});
        }
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(f))) {
            assertArrayEquals(ABC_RECORD, in.readAllBytes());
        }
    }

    @Test
    void writeAfterCloseIsAnError() {
        TfRecordWriter w = new TfRecordWriter(dir.resolve("c.tfrecord"), false);
        w.close();
        w.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> w.write(new byte[1]));
        assertEquals(true, e.getMessage().contains("c.tfrecord"));
    }
}
