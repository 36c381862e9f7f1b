package dev.tessera.testing;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.backend.Storage;

/**
 * Heap memory of the naive backend: floating types hold doubles (FLOAT32 values are rounded to
 * float when stored), integer types hold longs (INT32 values are narrowed to int when stored).
 */
public final class NaiveStorage extends Storage {
    private final Device device;
    private final double[] floats;
    private final long[] ints;

    NaiveStorage(Device device, DType dtype, long numel) {
        // NOTE: heap arrays need no explicit free, so the deallocator has nothing to do.
        super(dtype, numel, () -> { });
        this.device = device;
        int n = Math.toIntExact(numel);
        this.floats = dtype.isFloating() ? new double[n] : null;
        this.ints = dtype.isFloating() ? null : new long[n];
    }

    @Override
    public Device device() {
        return device;
    }

    /** Element {@code i} as a double. */
    public double get(long i) {
        int k = Math.toIntExact(i);
        return floats != null ? floats[k] : ints[k];
    }

    /** Element {@code i} as a long (floats truncated toward zero). */
    public long getLong(long i) {
        int k = Math.toIntExact(i);
        return floats != null ? (long) floats[k] : ints[k];
    }

    /** Stores {@code v} rounded to the element type (floats to ints truncate toward zero). */
    public void set(long i, double v) {
        int k = Math.toIntExact(i);
        switch (dtype()) {
            case FLOAT64 -> floats[k] = v;
            case FLOAT32 -> floats[k] = (float) v;
            case INT64 -> ints[k] = (long) v;
            case INT32 -> ints[k] = (int) v;
        }
    }

    /** Stores an integer exactly (narrowed to int for INT32, rounded for floating types). */
    public void setLong(long i, long v) {
        int k = Math.toIntExact(i);
        switch (dtype()) {
            case FLOAT64 -> floats[k] = v;
            case FLOAT32 -> floats[k] = (float) v;
            case INT64 -> ints[k] = v;
            case INT32 -> ints[k] = (int) v;
        }
    }
}
