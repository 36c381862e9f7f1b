package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * Off-heap blocks with a cache of freed large blocks, so that a training step reuses the previous
 * step's pages instead of mapping fresh ones: the C allocator maps blocks above its threshold
 * (32 MiB at most) afresh each time, and the page faults of first touch then cost more than the
 * arithmetic of an element-wise op. Blocks of at least {@link #MIN_CACHED} bytes are rounded up to
 * a size class (at most 1/8 larger) and kept, up to {@code tessera.cpu.cacheBytes} bytes in all
 * (default a quarter of physical memory, at least 1 GiB; 0 turns the cache off), the largest
 * classes evicted first. A step's peak is what must fit: with 1 GiB, the FiLM step at batch 8
 * (1.2 GiB of tensors) lost its largest blocks every step and faulted them in afresh. Thread-safe;
 * a free may come from the GC's cleaner.
 */
public final class HostBlocks {
    /** Smaller blocks go straight to the C allocator, which keeps them in its heap. */
    public static final long MIN_CACHED = 1L << 20;

    private static final long LIMIT = Long.getLong("tessera.cpu.cacheBytes", defaultLimit());
    private static final Map<Long, ArrayDeque<Long>> FREE = new HashMap<>();
    private static long cached;

    private HostBlocks() {
    }

    private static long defaultLimit() {
        long physical;
        try {
            physical = Pointer.totalPhysicalBytes();
        } catch (Throwable t) {
            physical = 0;
        }
        return Math.max(1L << 30, physical / 4);
    }

    /** The size class of a request: itself below {@link #MIN_CACHED}, else rounded up to a multiple of 1/8 of its leading power of two. */
    public static long sizeClass(long bytes) {
        if (bytes < MIN_CACHED) {
            return bytes;
        }
        long step = Long.highestOneBit(bytes) >>> 3;
        return Math.addExact(bytes, step - 1) & -step;
    }

    /**
     * A block of at least {@code bytes} bytes, from the cache when one of its size class is there;
     * its contents are unspecified. Release it with {@link #free(long, long)} and the same size.
     *
     * @throws OutOfMemoryError when the C allocator refuses even after the cache was emptied
     */
    public static long allocate(long bytes) {
        long size = sizeClass(Math.max(1, bytes));
        if (size >= MIN_CACHED) {
            synchronized (FREE) {
                ArrayDeque<Long> blocks = FREE.get(size);
                if (blocks != null) {
                    cached -= size;
                    long address = blocks.pop();
                    if (blocks.isEmpty()) {
                        FREE.remove(size);
                    }
                    return address;
                }
            }
        }
        try {
            return U.allocateMemory(size);
        } catch (OutOfMemoryError e) {
            trim();
            return U.allocateMemory(size);
        }
    }

    /** Returns a block from {@link #allocate(long)} of the same requested size, to the cache or to the C allocator. */
    public static void free(long address, long bytes) {
        long size = sizeClass(Math.max(1, bytes));
        if (size >= MIN_CACHED && size <= LIMIT) {
            synchronized (FREE) {
                evictFor(size);
                FREE.computeIfAbsent(size, k -> new ArrayDeque<>()).push(address);
                cached += size;
                return;
            }
        }
        U.freeMemory(address);
    }

    /** Frees cached blocks, the largest classes first, until {@code size} more bytes fit under the limit. */
    private static void evictFor(long size) {
        while (cached + size > LIMIT) {
            long largest = FREE.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
            ArrayDeque<Long> blocks = FREE.get(largest);
            U.freeMemory(blocks.pop());
            cached -= largest;
            if (blocks.isEmpty()) {
                FREE.remove(largest);
            }
        }
    }

    /** Bytes held in the cache, not in use by any tensor. */
    public static long cachedBytes() {
        synchronized (FREE) {
            return cached;
        }
    }

    /** Gives every cached block back to the C allocator. */
    public static void trim() {
        synchronized (FREE) {
            for (ArrayDeque<Long> blocks : FREE.values()) {
                while (!blocks.isEmpty()) {
                    U.freeMemory(blocks.pop());
                }
            }
            FREE.clear();
            cached = 0;
        }
    }
}
