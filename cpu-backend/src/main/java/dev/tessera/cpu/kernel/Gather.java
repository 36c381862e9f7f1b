package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.backend.Operand;

/** Gather along an axis and its adjoint, scatter-add; indices are INT32 or INT64 and range-checked. */
public final class Gather {
    private Gather() {
    }

    /** out[.., j, ..] = x[.., index[.., j, ..], ..] along axis. */
    public static void gather(Operand x, int axis, Operand index, Operand out) {
        checkIndex("gather", x, axis, index);
        if (!out.shape().equals(index.shape()) || out.dtype() != x.dtype()) {
            throw new IllegalArgumentException("gather: output must have the index shape " + index.shape() + " and dtype "
                    + x.dtype() + " — got " + out.shape() + " " + out.dtype());
        }
        long[] xs = x.layout().strides();
        long axisBytes = xs[axis] * x.dtype().byteSize();
        long size = x.shape().dim(axis);
        xs[axis] = 0;
        Operand xv = new Operand(x.storage(), new Layout(index.shape(), xs, x.layout().offset()));
        DType it = index.dtype();
        int bytes = x.dtype().byteSize();
        Strided walk = Strided.of("gather", out, index, xv);
        long so = walk.innerStride(0);
        long si = walk.innerStride(1);
        long sx = walk.innerStride(2);
        walk.forEachRow((pos, n, addr) -> {
            long o = addr[0];
            long i = addr[1];
            long p = addr[2];
            for (long e = 0; e < n; e++, o += so, i += si, p += sx) {
                long k = checked("gather", Mem.readIndex(it, i), axis, size);
                if (bytes == 4) {
                    U.putInt(o, U.getInt(p + k * axisBytes));
                } else {
                    U.putLong(o, U.getLong(p + k * axisBytes));
                }
            }
        });
    }

    /**
     * out[.., index[.., j, ..], ..] += src[.., j, ..] along axis. The walk puts the axis innermost and
     * gives each thread whole fibres along it: only elements of one fibre can hit the same output,
     * so there are no races and the sum order is fixed.
     */
    public static void scatterAdd(Operand src, int axis, Operand index, Operand out) {
        checkIndex("scatterAdd", out, axis, index);
        if (!src.shape().equals(index.shape()) || src.dtype() != out.dtype()) {
            throw new IllegalArgumentException("scatterAdd: source must have the index shape " + index.shape()
                    + " and dtype " + out.dtype() + " — got " + src.shape() + " " + src.dtype());
        }
        int rank = index.rank();
        long[] shape = moveLast(index.shape().toArray(), axis);
        long[] os = out.layout().strides();
        long axisBytes = os[axis] * out.dtype().byteSize();
        long size = out.shape().dim(axis);
        os[axis] = 0;
        long[] osBytes = moveLast(os, axis);
        for (int i = 0; i < rank; i++) {
            osBytes[i] *= out.dtype().byteSize();
        }
        Strided walk = new Strided(shape,
                new long[] {Mem.address("scatterAdd", src), Mem.address("scatterAdd", index), Mem.address("scatterAdd", out)},
                moveLast(Mem.byteStrides(src), axis), moveLast(Mem.byteStrides(index), axis), osBytes);
        long fibre = rank == 0 ? 1 : shape[rank - 1];
        if (walk.numel() == 0 || fibre == 0) {
            return;
        }
        DType t = out.dtype();
        DType it = index.dtype();
        long ss = walk.innerStride(0);
        long si = walk.innerStride(1);
        long sd = walk.innerStride(2);
        Parallel.forRange(walk.numel() / fibre, Math.max(1, Parallel.GRAIN / fibre),
                (f0, f1) -> walk.rows(f0 * fibre, f1 * fibre, (pos, n, addr) -> {
                    long s = addr[0];
                    long i = addr[1];
                    long d = addr[2];
                    for (long e = 0; e < n; e++, s += ss, i += si, d += sd) {
                        long k = checked("scatterAdd", Mem.readIndex(it, i), axis, size);
                        add(t, d + k * axisBytes, s);
                    }
                }));
    }

    private static void add(DType t, long d, long s) {
        switch (t) {
            case FLOAT32 -> U.putFloat(d, U.getFloat(d) + U.getFloat(s));
            case FLOAT64 -> U.putDouble(d, U.getDouble(d) + U.getDouble(s));
            case INT32 -> U.putInt(d, U.getInt(d) + U.getInt(s));
            case INT64 -> U.putLong(d, U.getLong(d) + U.getLong(s));
        }
    }

    private static long[] moveLast(long[] a, int axis) {
        long[] r = new long[a.length];
        int k = 0;
        for (int i = 0; i < a.length; i++) {
            if (i != axis) {
                r[k++] = a[i];
            }
        }
        if (a.length > 0) {
            r[a.length - 1] = a[axis];
        }
        return r;
    }

    private static long checked(String op, long k, int axis, long size) {
        if (k < 0 || k >= size) {
            throw new IllegalArgumentException(op + ": index " + k + " is out of range for axis " + axis + " of size "
                    + size);
        }
        return k;
    }

    private static void checkIndex(String op, Operand x, int axis, Operand index) {
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be INT32 or INT64 — got " + index.dtype());
        }
        if (index.rank() != x.rank() || axis < 0 || axis >= x.rank()) {
            throw new IllegalArgumentException(op + ": index " + index.shape() + " and axis " + axis
                    + " do not fit input " + x.shape());
        }
        for (int i = 0; i < x.rank(); i++) {
            if (i != axis && index.shape().dim(i) > x.shape().dim(i)) {
                throw new IllegalArgumentException(op + ": index " + index.shape() + " is larger than input " + x.shape()
                        + " on axis " + i);
            }
        }
    }
}
