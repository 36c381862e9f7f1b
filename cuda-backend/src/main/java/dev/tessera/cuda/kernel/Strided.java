package dev.tessera.cuda.kernel;

import dev.tessera.Shape;
import java.util.Arrays;

/**
 * A logical shape shared by several operands, each with its own strides and offset: what a kernel's
 * TsShape and TsStrides arguments describe. {@link #coalesce} drops size-1 dimensions and merges
 * neighbours that every operand walks contiguously, so that contiguous tensors become rank 1 and
 * the kernels' index arithmetic stays cheap. Element order (row-major over the shape) is preserved.
 */
public final class Strided {
    /** The most dimensions a kernel accepts (TS_MAX_RANK in common.cuh). */
    public static final int MAX_RANK = 8;

    private final long[] dims;
    private final long[][] strides;
    private final long[] offsets;

    private Strided(long[] dims, long[][] strides, long[] offsets) {
        this.dims = dims;
        this.strides = strides;
        this.offsets = offsets;
    }

    /** Operands over {@code shape}: strides[k] and offsets[k] belong to operand k. */
    public static Strided of(Shape shape, long[][] strides, long[] offsets) {
        long[] d = shape.toArray();
        long[][] s = new long[strides.length][];
        for (int k = 0; k < strides.length; k++) {
            if (strides[k].length != d.length) {
                throw new IllegalArgumentException("Strided: operand " + k + " has " + strides[k].length
                        + " strides for shape " + shape);
            }
            s[k] = strides[k].clone();
        }
        return new Strided(d, s, offsets.clone());
    }

    /** The same element order with size-1 dimensions dropped and mergeable neighbours merged. */
    public Strided coalesce() {
        int n = strides.length;
        long[] d = new long[dims.length];
        long[][] s = new long[n][dims.length];
        int rank = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) {
                continue;
            }
            boolean merge = rank > 0;
            for (int k = 0; k < n && merge; k++) {
                merge = s[k][rank - 1] == strides[k][i] * dims[i];
            }
            if (merge) {
                d[rank - 1] *= dims[i];
                for (int k = 0; k < n; k++) {
                    s[k][rank - 1] = strides[k][i];
                }
            } else {
                d[rank] = dims[i];
                for (int k = 0; k < n; k++) {
                    s[k][rank] = strides[k][i];
                }
                rank++;
            }
        }
        long[][] out = new long[n][];
        for (int k = 0; k < n; k++) {
            out[k] = Arrays.copyOf(s[k], rank);
        }
        return new Strided(Arrays.copyOf(d, rank), out, offsets);
    }

    public int rank() {
        return dims.length;
    }

    public long numel() {
        long p = 1;
        for (long d : dims) {
            p *= d;
        }
        return p;
    }

    /** Dimension sizes (a copy). */
    public long[] dims() {
        return dims.clone();
    }

    /** Strides of operand k (a copy). */
    public long[] strides(int k) {
        return strides[k].clone();
    }

    /** Element offset of operand k. */
    public long offset(int k) {
        return offsets[k];
    }

    /** Fails if the kernels cannot take this many dimensions; {@code op} names the caller. */
    public Strided requireKernelRank(String op) {
        if (dims.length > MAX_RANK) {
            throw new IllegalArgumentException(op + ": CUDA kernels take at most " + MAX_RANK
                    + " non-mergeable dimensions — got " + Arrays.toString(dims));
        }
        return this;
    }
}
