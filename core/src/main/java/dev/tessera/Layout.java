package dev.tessera;

import java.util.Arrays;

/**
 * How a tensor's elements sit in its storage: shape, strides and offset, all in elements.
 * Views (reshape, permute, slice, expand) change only the layout; a stride of 0 repeats an element.
 */
public record Layout(Shape shape, long[] strides, long offset) {

    public Layout {
        if (strides.length != shape.rank()) {
            throw new IllegalArgumentException("Layout: " + strides.length + " strides for shape " + shape);
        }
        strides = strides.clone();
    }

    /** A row-major layout starting at offset 0. */
    public static Layout contiguous(Shape shape) {
        return new Layout(shape, shape.contiguousStrides(), 0);
    }

    @Override
    public long[] strides() {
        return strides.clone();
    }

    /** Stride of one axis, without copying the array. */
    public long stride(int axis) {
        return strides[axis];
    }

    public int rank() {
        return shape.rank();
    }

    public long numel() {
        return shape.numel();
    }

    /** Whether elements are laid out row-major with no gaps (size-1 dimensions may have any stride). */
    public boolean isContiguous() {
        long expected = 1;
        for (int i = shape.rank() - 1; i >= 0; i--) {
            long d = shape.dim(i);
            if (d == 1) {
                continue;
            }
            if (strides[i] != expected) {
                return false;
            }
            expected *= d;
        }
        return true;
    }

    /** Storage index of the element at the given multi-index. */
    public long indexOf(long... idx) {
        long p = offset;
        for (int i = 0; i < idx.length; i++) {
            p += idx[i] * strides[i];
        }
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Layout l && l.shape.equals(shape) && Arrays.equals(l.strides, strides) && l.offset == offset;
    }

    @Override
    public int hashCode() {
        return shape.hashCode() * 31 + Arrays.hashCode(strides) + Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "Layout" + shape + " strides=" + Arrays.toString(strides) + " offset=" + offset;
    }
}
