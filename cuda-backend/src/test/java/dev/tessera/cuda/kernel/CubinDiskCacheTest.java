package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CubinDiskCacheTest {
    @TempDir
    Path dir;

    @Test
    void aSecondProcessReadsTheStoredBinaryInsteadOfCompiling() {
        AtomicInteger compiles = new AtomicInteger();
        byte[] first = new CubinDiskCache(dir).get("unary", "source", "sm_90 nvrtc 13.0",
                () -> new byte[] {(byte) compiles.incrementAndGet(), 2, 3});
        byte[] second = new CubinDiskCache(dir).get("unary", "source", "sm_90 nvrtc 13.0",
                () -> new byte[] {(byte) compiles.incrementAndGet()});
        assertEquals(1, compiles.get());
        assertArrayEquals(first, second);
    }

    @Test
    void anyChangeOfSourceOptionsOrCompilerGivesAnotherFile() {
        CubinDiskCache c = new CubinDiskCache(dir);
        Path base = c.file("unary", "source", "sm_90 nvrtc 13.0");
        assertNotEquals(base, c.file("unary", "source ", "sm_90 nvrtc 13.0"));
        assertNotEquals(base, c.file("unary", "source", "sm_80 nvrtc 13.0"));
        assertNotEquals(base, c.file("unary", "source", "sm_90 nvrtc 13.1"));
        assertEquals(base, c.file("unary", "source", "sm_90 nvrtc 13.0"));
    }

    @Test
    void anUnwritableDirectoryOnlyCostsACompile() throws Exception {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x");
        AtomicInteger compiles = new AtomicInteger();
        CubinDiskCache c = new CubinDiskCache(file.resolve("sub"));
        c.get("fill", "s", "k", () -> new byte[] {(byte) compiles.incrementAndGet()});
        c.get("fill", "s", "k", () -> new byte[] {(byte) compiles.incrementAndGet()});
        assertEquals(2, compiles.get());
    }

    @Test
    void disabledCacheAlwaysCompiles() {
        AtomicInteger compiles = new AtomicInteger();
        CubinDiskCache c = new CubinDiskCache(null);
        c.get("fill", "s", "k", () -> new byte[] {(byte) compiles.incrementAndGet()});
        c.get("fill", "s", "k", () -> new byte[] {(byte) compiles.incrementAndGet()});
        assertEquals(2, compiles.get());
    }
}
