package dev.tessera.cpu;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.backend.Storage;
import dev.tessera.cpu.kernel.HostBlocks;

/**
 * Off-heap host memory aligned to 64 bytes (a cache line, and what AVX-512 loads prefer), given
 * back to {@link HostBlocks} when the last reference is released or, as a safety net, by the
 * garbage collector.
 */
public final class CpuStorage extends Storage {
    private static final long ALIGN = 64;

    private final long address;

    private CpuStorage(DType dtype, long numel, long raw, long rawBytes) {
        super(dtype, numel, new Free(raw, rawBytes));
        this.address = (raw + ALIGN - 1) & -ALIGN;
    }

    /** Allocates {@code numel} elements of {@code dtype}; the contents are unspecified. */
    public static CpuStorage allocate(DType dtype, long numel) {
        if (numel < 0) {
            throw new IllegalArgumentException("cpu.allocate: element count must be >= 0 — got " + numel);
        }
        long bytes = Math.multiplyExact(numel, (long) dtype.byteSize());
        long rawBytes = bytes + ALIGN - 1;
        long raw;
        try {
            raw = HostBlocks.allocate(rawBytes);
        } catch (OutOfMemoryError e) {
            throw new OutOfMemoryError("cpu.allocate: cannot allocate " + bytes + " bytes off-heap for " + numel
                    + " elements of " + dtype + " (" + Storage.liveBytes() + " bytes live)");
        }
        return new CpuStorage(dtype, numel, raw, rawBytes);
    }

    /** Frees the raw block; a record so it cannot capture the storage. */
    private record Free(long raw, long rawBytes) implements Runnable {
        @Override
        public void run() {
            HostBlocks.free(raw, rawBytes);
        }
    }

    @Override
    public Device device() {
        return Device.cpu();
    }

    /** The 64-byte aligned address of element 0; fails if the memory was already released. */
    public long address() {
        if (!isLive()) {
            throw new IllegalStateException("cpu: storage used after it was released");
        }
        return address;
    }
}
