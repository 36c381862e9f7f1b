package dev.tessera.cuda.alloc;

/** Raw allocation of device memory, the layer under {@link CachingAllocator} (cudaMalloc / cudaFree on a GPU). */
public interface DeviceMemory {

    /**
     * Allocates {@code bytes} bytes and returns the address.
     *
     * @throws OutOfDeviceMemoryException when the device has no room (the allocator then frees its cache and retries)
     */
    long malloc(long bytes);

    /** Frees a block returned by {@link #malloc}. */
    void free(long address);
}
