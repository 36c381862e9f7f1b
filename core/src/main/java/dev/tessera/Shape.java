package dev.tessera;

import java.util.Arrays;

/** An immutable list of dimension sizes; {@code toString()} prints "(2, 3)" for error messages. */
public final class Shape {
    private final long[] dims;

    private Shape(long[] dims) {
        this.dims = dims;
    }

    /** A shape with the given dimensions; every dimension must be non-negative. */
    public static Shape of(long... dims) {
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("Shape: dimensions must be >= 0 — got " + Arrays.toString(dims));
            }
        }
        if (Arrays.stream(dims).noneMatch(d -> d == 0)) {
            long n = 1;
            for (long d : dims) {
                if (n > Long.MAX_VALUE / d) {
                    throw new IllegalArgumentException("Shape: more than 2^63 - 1 elements — got " + Arrays.toString(dims));
                }
                n *= d;
            }
        }
        return new Shape(dims.clone());
    }

    /** A shape from int dimensions. */
    public static Shape of(int... dims) {
        long[] l = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l[i] = dims[i];
        }
        return of(l);
    }

    /** The shape of a scalar: rank 0, one element. */
    public static Shape scalar() {
        return new Shape(new long[0]);
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public long dim(int axis) {
        return dims[normalizeAxis(axis, dims.length, "Shape.dim")];
    }

    /** A copy of the dimensions. */
    public long[] toArray() {
        return dims.clone();
    }

    /** The dimensions as ints, failing if one does not fit. */
    public int[] toIntArray() {
        int[] r = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            r[i] = Math.toIntExact(dims[i]);
        }
        return r;
    }

    /** Number of elements: the product of the dimensions (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            if (d == 0) {
                return 0;
            }
            n *= d;
        }
        return n;
    }

    /** Row-major (C order) strides in elements. */
    public long[] contiguousStrides() {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** This shape with dimension {@code axis} replaced. */
    public Shape with(int axis, long size) {
        long[] d = dims.clone();
        d[normalizeAxis(axis, dims.length, "Shape.with")] = size;
        return of(d);
    }

    /** NumPy broadcasting of two shapes; {@code op} names the operation in the error message. */
    public static Shape broadcast(Shape a, Shape b, String op) {
        int rank = Math.max(a.rank(), b.rank());
        long[] out = new long[rank];
        for (int i = 0; i < rank; i++) {
            long da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            long db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes cannot be broadcast together — got " + a + " and " + b);
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** Turns a possibly negative axis into 0..rank-1, or throws naming {@code op}. */
    public static int normalizeAxis(int axis, int rank, String op) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for rank " + rank);
        }
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }
}
