package dev.tessera.cuda.kernel;

import dev.tessera.Layout;
import dev.tessera.Shape;
import java.util.Arrays;

/**
 * The two index spaces of a reduction kernel: {@code outer} walks the kept axes (operand 0 = x's
 * strides and offset, operand 1 = the output's), {@code inner} the reduced axes (x's strides, offset
 * 0). Output element o reads x at outer(o) + inner(r) for every r. Both are coalesced.
 */
public record ReducePlan(Strided outer, Strided inner) {

    /** Checks that {@code out} is {@code x} with the reduced axes of size 1 and splits the axes; {@code op} names the caller. */
    public static ReducePlan of(String op, Layout x, int[] axes, Layout out) {
        int rank = x.rank();
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            if (a < 0 || a >= rank || reduced[a]) {
                throw new IllegalArgumentException(op + ": axes must be distinct and within rank " + rank + " — got "
                        + Arrays.toString(axes));
            }
            reduced[a] = true;
        }
        if (out.rank() != rank) {
            throw new IllegalArgumentException(op + ": output must keep the input's rank — got " + out.shape() + " for "
                    + x.shape());
        }
        int nOuter = rank - axes.length;
        long[] outerDims = new long[nOuter];
        long[] xOuter = new long[nOuter];
        long[] yOuter = new long[nOuter];
        long[] innerDims = new long[axes.length];
        long[] xInner = new long[axes.length];
        int o = 0;
        int r = 0;
        for (int d = 0; d < rank; d++) {
            long dim = x.shape().dim(d);
            long want = reduced[d] ? 1 : dim;
            if (out.shape().dim(d) != want) {
                throw new IllegalArgumentException(op + ": output " + out.shape() + " does not match input " + x.shape()
                        + " reduced over " + Arrays.toString(axes) + " (axis " + d + ")");
            }
            if (reduced[d]) {
                innerDims[r] = dim;
                xInner[r++] = x.stride(d);
            } else {
                outerDims[o] = dim;
                xOuter[o] = x.stride(d);
                yOuter[o++] = out.stride(d);
            }
        }
        Strided outer = Strided.of(Shape.of(outerDims), new long[][] {xOuter, yOuter}, new long[] {x.offset(), out.offset()})
                .coalesce().requireKernelRank(op);
        Strided inner = Strided.of(Shape.of(innerDims), new long[][] {xInner}, new long[] {0}).coalesce()
                .requireKernelRank(op);
        return new ReducePlan(outer, inner);
    }

    /** Threads per block: a power of two from 32 to 256, no more than the reduced elements need. */
    public int threads() {
        int t = 32;
        while (t < 256 && t < inner.numel()) {
            t *= 2;
        }
        return t;
    }
}
