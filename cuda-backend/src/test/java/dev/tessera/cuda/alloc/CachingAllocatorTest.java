package dev.tessera.cuda.alloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CachingAllocatorTest {

    /** Device memory with a byte budget, recording what is live. */
    private static final class FakeMemory implements DeviceMemory {
        final long capacity;
        long used;
        long next = 0x1000;
        int mallocs;
        final Set<Long> live = new HashSet<>();
        final java.util.Map<Long, Long> sizes = new java.util.HashMap<>();

        FakeMemory(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public long malloc(long bytes) {
            if (used + bytes > capacity) {
                throw new OutOfDeviceMemoryException("fake: out of memory for " + bytes);
            }
            used += bytes;
            mallocs++;
            long a = next;
            next += bytes;
            live.add(a);
            sizes.put(a, bytes);
            return a;
        }

        @Override
        public void free(long address) {
            assertTrue(live.remove(address), "double free of " + address);
            used -= sizes.remove(address);
        }
    }

    @Test
    void sizeClassesRoundUpByAtMostAnEighth() {
        assertEquals(512, CachingAllocator.sizeClass(0));
        assertEquals(512, CachingAllocator.sizeClass(1));
        assertEquals(1024, CachingAllocator.sizeClass(513));
        assertEquals(4096, CachingAllocator.sizeClass(4096));
        assertEquals(4608, CachingAllocator.sizeClass(4097));
        assertEquals(1L << 20, CachingAllocator.sizeClass(1L << 20));
        for (long b = 1; b < 50_000_000; b = b * 3 + 7) {
            long c = CachingAllocator.sizeClass(b);
            assertTrue(c >= b && (b < 4096 || c <= b + b / 8 + 1), b + " -> " + c);
        }
        assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(-1));
    }

    @Test
    void stepsWithTheSameShapesReuseBlocksAfterTheFirst() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator(mem);
        for (int step = 0; step < 10; step++) {
            CachingAllocator.Block x = a.allocate(1000);
            CachingAllocator.Block y = a.allocate(70_000);
            CachingAllocator.Block z = a.allocate(1000);
            a.release(x);
            a.release(y);
            a.release(z);
        }
        assertEquals(3, mem.mallocs);
        assertEquals(27, a.reuses());
        assertEquals(0, a.bytesInUse());
        assertEquals(2 * 1024 + CachingAllocator.sizeClass(70_000), a.bytesCached());
    }

    @Test
    void statisticsTrackBytesInUseAndCached() {
        CachingAllocator a = new CachingAllocator(new FakeMemory(1L << 30));
        CachingAllocator.Block x = a.allocate(5000);
        assertEquals(CachingAllocator.sizeClass(5000), a.bytesInUse());
        assertEquals(0, a.bytesCached());
        a.release(x);
        assertEquals(0, a.bytesInUse());
        assertEquals(x.size(), a.bytesCached());
        assertEquals(x.size(), a.peakBytesInUse());
    }

    @Test
    void emptyCacheFreesOnlyCachedBlocks() {
        FakeMemory mem = new FakeMemory(1L << 30);
        CachingAllocator a = new CachingAllocator(mem);
        CachingAllocator.Block kept = a.allocate(2048);
        a.release(a.allocate(4096));
        a.emptyCache();
        assertEquals(0, a.bytesCached());
        assertEquals(1, mem.live.size());
        assertTrue(mem.live.contains(kept.address()));
    }

    @Test
    void outOfMemoryFreesTheCacheAndRetriesOnce() {
        FakeMemory mem = new FakeMemory(8192);
        CachingAllocator a = new CachingAllocator(mem);
        a.release(a.allocate(4096));
        a.release(a.allocate(2048));
        CachingAllocator.Block big = a.allocate(6144);
        assertEquals(6144, big.size());
        assertEquals(0, a.bytesCached());
        assertThrows(OutOfDeviceMemoryException.class, () -> a.allocate(4096));
    }

    @Test
    void resetPeakRestartsFromTheBytesInUse() {
        CachingAllocator a = new CachingAllocator(new FakeMemory(1L << 30));
        CachingAllocator.Block big = a.allocate(1L << 20);
        CachingAllocator.Block small = a.allocate(4096);
        a.release(big);
        assertEquals((1L << 20) + 4096, a.peakBytesInUse());
        a.resetPeak();
        assertEquals(4096, a.peakBytesInUse());
        a.allocate(8192);
        assertEquals(4096 + 8192, a.peakBytesInUse());
        a.release(small);
        assertEquals(4096 + 8192, a.peakBytesInUse());
    }
}
