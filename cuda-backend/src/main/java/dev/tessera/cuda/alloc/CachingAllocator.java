package dev.tessera.cuda.alloc;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps freed device blocks in size-class bins and hands them out again, so that a training loop
 * whose steps allocate the same shapes stops calling cudaMalloc after its first step. A request is
 * rounded up to its size class: multiples of 512 bytes up to 4 KiB, then 8 classes per power of
 * two (at most 12.5% waste). A block is reused only for its own class.
 *
 * <p>Safe reuse relies on the single stream per device: a block freed while kernels that use it are
 * still queued is handed out only to work queued after them on the same stream. Thread-safe.
 */
public final class CachingAllocator {
    /** The smallest block handed out; cuBLAS and cuDNN want 256-byte alignment, cudaMalloc gives 256 or more. */
    public static final long MIN_BLOCK = 512;

    private final DeviceMemory memory;
    private final Map<Long, ArrayDeque<Long>> free = new HashMap<>();
    private long bytesInUse;
    private long bytesCached;
    private long peakInUse;
    private long deviceAllocations;
    private long reuses;

    /** An allocator drawing blocks from {@code memory}. */
    public CachingAllocator(DeviceMemory memory) {
        this.memory = memory;
    }

    /** The size class a request of {@code bytes} is rounded up to. */
    public static long sizeClass(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("CachingAllocator: size must be >= 0 — got " + bytes);
        }
        if (bytes <= 8 * MIN_BLOCK) {
            return Math.max(MIN_BLOCK, (bytes + MIN_BLOCK - 1) / MIN_BLOCK * MIN_BLOCK);
        }
        long step = Long.highestOneBit(bytes - 1) / 8;
        return (bytes + step - 1) / step * step;
    }

    /** A block of at least {@code bytes} bytes, reused from the cache when one of its class is free. */
    public synchronized Block allocate(long bytes) {
        long size = sizeClass(bytes);
        ArrayDeque<Long> bin = free.get(size);
        long address;
        if (bin != null && !bin.isEmpty()) {
            address = bin.pop();
            bytesCached -= size;
            reuses++;
        } else {
            address = mallocOrEmptyAndRetry(size);
            deviceAllocations++;
        }
        bytesInUse += size;
        peakInUse = Math.max(peakInUse, bytesInUse);
        return new Block(address, size);
    }

    private long mallocOrEmptyAndRetry(long size) {
        try {
            return memory.malloc(size);
        } catch (OutOfDeviceMemoryException first) {
            emptyCache();
            return memory.malloc(size);
        }
    }

    /** Returns a block to its bin; the memory stays allocated on the device for the next request. */
    public synchronized void release(Block block) {
        free.computeIfAbsent(block.size(), k -> new ArrayDeque<>()).push(block.address());
        bytesInUse -= block.size();
        bytesCached += block.size();
    }

    /** Frees every cached (unused) block on the device. Blocks in use are untouched. */
    public synchronized void emptyCache() {
        for (ArrayDeque<Long> bin : free.values()) {
            while (!bin.isEmpty()) {
                memory.free(bin.pop());
            }
        }
        free.clear();
        bytesCached = 0;
    }

    /** Bytes held by live blocks (rounded to their size classes). */
    public synchronized long bytesInUse() {
        return bytesInUse;
    }

    /** Bytes of freed blocks kept on the device for reuse. */
    public synchronized long bytesCached() {
        return bytesCached;
    }

    /** The largest {@link #bytesInUse()} seen. */
    public synchronized long peakBytesInUse() {
        return peakInUse;
    }

    /** Restarts {@link #peakBytesInUse()} from the bytes in use now, e.g. after a benchmark's warm-up. */
    public synchronized void resetPeak() {
        peakInUse = bytesInUse;
    }

    /** How many requests went to the device. */
    public synchronized long deviceAllocations() {
        return deviceAllocations;
    }

    /** How many requests were served from the cache. */
    public synchronized long reuses() {
        return reuses;
    }

    @Override
    public synchronized String toString() {
        return "CachingAllocator[inUse=" + bytesInUse + " B, cached=" + bytesCached + " B, peak=" + peakInUse
                + " B, deviceAllocations=" + deviceAllocations + ", reuses=" + reuses + "]";
    }

    /** A device block: its address and its size class in bytes. */
    public record Block(long address, long size) {
    }
}
