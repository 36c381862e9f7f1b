package dev.tessera.cuda.kernel;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.LongPointer;

/**
 * The argument block of one kernel launch: values packed at their natural alignment into one native
 * buffer, plus the array of their addresses that cuLaunchKernel's kernelParams wants. Reused from
 * launch to launch by one thread (the backend serialises launches).
 *
 * <p>TsShape is packed as rank, numel, then 8 dimensions (unused ones 1); TsStrides as the element
 * offset, then 8 steps (unused ones 0): the struct layouts of common.cuh, all 8-byte fields.
 */
public final class KernelArgs {
    private static final int CAPACITY = 8192;
    private static final int MAX_ARGS = 64;

    private final BytePointer values = new BytePointer(CAPACITY);
    private final LongPointer addresses = new LongPointer(MAX_ARGS);
    private int size;
    private int count;

    /** Forgets the previous launch's arguments. */
    public KernelArgs reset() {
        size = 0;
        count = 0;
        return this;
    }

    private long slot(int bytes, int align) {
        size = (size + align - 1) / align * align;
        if (size + bytes > CAPACITY || count == MAX_ARGS) {
            throw new IllegalStateException("KernelArgs: argument block full (" + count + " arguments, " + size + " bytes)");
        }
        long at = size;
        addresses.put(count++, values.address() + at);
        size += bytes;
        return at;
    }

    /** A device pointer (8 bytes). */
    public KernelArgs ptr(long address) {
        return i64(address);
    }

    /** A 64-bit integer. */
    public KernelArgs i64(long v) {
        values.putLong(slot(8, 8), v);
        return this;
    }

    /** A 32-bit integer. */
    public KernelArgs i32(int v) {
        values.putInt(slot(4, 4), v);
        return this;
    }

    /** A double. */
    public KernelArgs f64(double v) {
        values.putDouble(slot(8, 8), v);
        return this;
    }

    /** A TsShape struct for {@code dims}. */
    public KernelArgs shape(long[] dims) {
        long at = slot(8 * (2 + Strided.MAX_RANK), 8);
        long numel = 1;
        for (long d : dims) {
            numel *= d;
        }
        values.putLong(at, dims.length);
        values.putLong(at + 8, numel);
        for (int i = 0; i < Strided.MAX_RANK; i++) {
            values.putLong(at + 16 + 8L * i, i < dims.length ? dims[i] : 1);
        }
        return this;
    }

    /** A TsStrides struct. */
    public KernelArgs strides(long offset, long[] steps) {
        long at = slot(8 * (1 + Strided.MAX_RANK), 8);
        values.putLong(at, offset);
        for (int i = 0; i < Strided.MAX_RANK; i++) {
            values.putLong(at + 8 + 8L * i, i < steps.length ? steps[i] : 0);
        }
        return this;
    }

    /** A struct of 64-bit integers (such as TsPool). */
    public KernelArgs longs(long... fields) {
        long at = slot(8 * fields.length, 8);
        for (int i = 0; i < fields.length; i++) {
            values.putLong(at + 8L * i, fields[i]);
        }
        return this;
    }

    /** The kernelParams array (one address per argument). */
    public LongPointer params() {
        return addresses;
    }

    public int count() {
        return count;
    }
}
