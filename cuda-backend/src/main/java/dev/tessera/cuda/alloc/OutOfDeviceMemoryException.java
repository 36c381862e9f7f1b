package dev.tessera.cuda.alloc;

/** The device ran out of memory even after the caching allocator released its cached blocks. */
public final class OutOfDeviceMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the request. */
    public OutOfDeviceMemoryException(String message) {
        super(message);
    }
}
