package dev.tessera.data.tfrecord;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.data.example.Example;
import dev.tessera.data.example.Feature;
import dev.tessera.data.example.Features;
import dev.tessera.data.example.Int64List;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the count, verify and head commands on small files. */
class TfRecordToolTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return TfRecordTool.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path file(String name, int records) {
        Path f = dir.resolve(name);
        try (TfRecordWriter w = new TfRecordWriter(f, false)) {
            for (int i = 0; i < records; i++) {
                w.write(Example.newBuilder().setFeatures(Features.newBuilder().putFeature("label",
                        Feature.newBuilder().setInt64List(Int64List.newBuilder().addValue(i * 10)).build())).build());
            }
        }
        return f;
    }

    @Test
    void countPrintsRecordsPerFile() {
        Path a = file("a.tfrecord", 3);
        Path b = file("b.tfrecord", 0);
        assertEquals(0, run("count", a.toString(), b.toString()));
        assertEquals(a + ": 3 records\n" + b + ": 0 records\n", out().replace("\r", ""));
    }

    @Test
    void verifyReportsCorruptRegionsAndFails() throws Exception {
        Path good = file("good.tfrecord", 4);
        Path bad = file("bad.tfrecord", 4);
        byte[] b = Files.readAllBytes(bad);
        b[b.length - 2] ^= 1;
        Files.write(bad, b);
        assertEquals(1, run("verify", good.toString(), bad.toString()));
        String o = out();
        assertTrue(o.contains(good + ": OK, 4 records"), o);
        assertTrue(o.contains(bad + ": CORRUPT, 3 good records, 1 corrupt regions skipped; first problem: "
                + "tfrecord: data CRC mismatch"), o);
        assertTrue(o.contains("record 3 at byte offset"), o);
    }

    @Test
    void headPrintsExamplesAsText() {
        Path f = file("h.tfrecord", 5);
        assertEquals(0, run("head", f.toString(), "2"));
        String o = out();
        assertTrue(o.startsWith("record 0 (byte offset 0, "), o);
        assertTrue(o.contains("key: \"label\""), o);
        assertTrue(o.contains("value: 10"), o);
        assertTrue(!o.contains("record 2"), o);
    }

    @Test
    void badUsageAndMissingFilesGiveStatusAndMessage() {
        assertEquals(2, run("count"));
        assertEquals(2, run("frobnicate", "x"));
        assertEquals(1, run("head", file("x.tfrecord", 1).toString(), "-3"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("N must be a non-negative integer"));
        assertEquals(1, run("count", dir.resolve("missing.tfrecord").toString()));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot open"));
    }
}
