package dev.tessera.backend;

import dev.tessera.DType;
import dev.tessera.Device;
import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A block of memory owned by a backend, shared by every tensor view over it and freed when the
 * last reference is released, or by the garbage collector once no Storage object reaches it (a
 * kernel holding an {@link Operand} keeps it reachable, so memory is never freed under a kernel).
 * It knows its element type and length, never a shape.
 */
public abstract class Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    private static final AtomicLong LIVE_BYTES = new AtomicLong();
    private static final AtomicLong PEAK_BYTES = new AtomicLong();

    private final DType dtype;
    private final long numel;
    private final AtomicInteger refs = new AtomicInteger(1);
    private final Cleaner.Cleanable cleanable;

    /**
     * @param deallocator frees the memory; it must not refer to this Storage (it runs after the
     *                    object became unreachable), and it runs exactly once
     */
    protected Storage(DType dtype, long numel, Runnable deallocator) {
        this.dtype = dtype;
        this.numel = numel;
        long bytes = numel * dtype.byteSize();
        long live = LIVE_BYTES.addAndGet(bytes);
        PEAK_BYTES.accumulateAndGet(live, Math::max);
        this.cleanable = CLEANER.register(this, new Free(deallocator, bytes));
    }

    private record Free(Runnable deallocator, long bytes) implements Runnable {
        @Override
        public void run() {
            LIVE_BYTES.addAndGet(-bytes);
            deallocator.run();
        }
    }

    public final DType dtype() {
        return dtype;
    }

    /** Number of elements. */
    public final long numel() {
        return numel;
    }

    public final long bytes() {
        return numel * dtype.byteSize();
    }

    /** The device this memory lives on. */
    public abstract Device device();

    /** Adds a reference; fails if the storage was already released. */
    public final Storage retain() {
        int r;
        do {
            r = refs.get();
            if (r <= 0) {
                throw new IllegalStateException("Storage: used after it was released");
            }
        } while (!refs.compareAndSet(r, r + 1));
        return this;
    }

    /** Drops a reference and frees the memory when it was the last one. */
    public final void release() {
        int r = refs.decrementAndGet();
        if (r == 0) {
            cleanable.clean();
        } else if (r < 0) {
            throw new IllegalStateException("Storage: released more often than retained");
        }
    }

    /** Whether more than one tensor (a view, say) holds this memory. */
    public final boolean isShared() {
        return refs.get() > 1;
    }

    /** Whether the memory is still allocated. */
    public final boolean isLive() {
        return refs.get() > 0;
    }

    /** Bytes held by every live storage of every backend in this process. */
    public static long liveBytes() {
        return LIVE_BYTES.get();
    }

    /** The largest value {@link #liveBytes()} has reached since the last {@link #resetPeak()}. */
    public static long peakBytes() {
        return PEAK_BYTES.get();
    }

    /** Starts a new peak measurement from the current live byte count. */
    public static void resetPeak() {
        PEAK_BYTES.set(LIVE_BYTES.get());
    }
}
