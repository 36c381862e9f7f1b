package dev.tessera.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HostBlocksTest {
    @Test
    void smallRequestsKeepTheirSizeAndLargeOnesRoundUpByAtMostAnEighth() {
        assertEquals(1000, HostBlocks.sizeClass(1000));
        assertEquals(HostBlocks.MIN_CACHED, HostBlocks.sizeClass(HostBlocks.MIN_CACHED));
        long odd = 3 * HostBlocks.MIN_CACHED + 12345;
        long rounded = HostBlocks.sizeClass(odd);
        assertTrue(rounded >= odd && rounded <= odd + odd / 8, odd + " -> " + rounded);
        assertEquals(rounded, HostBlocks.sizeClass(rounded));
    }

    @Test
    void aFreedLargeBlockIsHandedOutAgainForTheSameSizeClass() {
        HostBlocks.trim();
        long bytes = 5 * HostBlocks.MIN_CACHED + 7;
        long first = HostBlocks.allocate(bytes);
        Mem.U.putFloat(first, 1.5f);
        HostBlocks.free(first, bytes);
        assertEquals(HostBlocks.sizeClass(bytes), HostBlocks.cachedBytes());
        long again = HostBlocks.allocate(bytes + 1);
        assertEquals(first, again);
        assertEquals(0, HostBlocks.cachedBytes());
        HostBlocks.free(again, bytes + 1);
        HostBlocks.trim();
        assertEquals(0, HostBlocks.cachedBytes());
    }

    @Test
    void smallBlocksAreNotCached() {
        HostBlocks.trim();
        long small = HostBlocks.allocate(4096);
        HostBlocks.free(small, 4096);
        assertEquals(0, HostBlocks.cachedBytes());
    }
}
