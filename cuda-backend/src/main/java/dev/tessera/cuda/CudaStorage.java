package dev.tessera.cuda;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.backend.Storage;
import dev.tessera.cuda.alloc.CachingAllocator;

/** Device memory of one CUDA device, drawn from and returned to that device's {@link CachingAllocator}. */
public final class CudaStorage extends Storage {
    private final Device device;
    private final long address;

    private CudaStorage(DType dtype, long numel, Device device, long address, Runnable deallocator) {
        super(dtype, numel, deallocator);
        this.device = device;
        this.address = address;
    }

    /** Takes a block for {@code numel} elements; freeing the storage gives the block back to the allocator. */
    static CudaStorage allocate(DType dtype, long numel, Device device, CachingAllocator allocator) {
        if (numel < 0) {
            throw new IllegalArgumentException("cuda allocate: element count must be >= 0 — got " + numel);
        }
        CachingAllocator.Block block = allocator.allocate(Math.multiplyExact(numel, (long) dtype.byteSize()));
        // NOTE: the deallocator captures only the allocator and the block, never this storage.
        return new CudaStorage(dtype, numel, device, block.address(), () -> allocator.release(block));
    }

    @Override
    public Device device() {
        return device;
    }

    /** The device address of element 0. */
    public long address() {
        return address;
    }

    @Override
    public String toString() {
        return "CudaStorage[" + device + ", " + dtype() + " x " + numel() + " @0x" + Long.toHexString(address) + "]";
    }
}
