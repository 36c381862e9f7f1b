package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Layout;
import dev.tessera.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Runs reduce.cu's indexing (base = outer(o), element = base + inner(r)) on the CPU against plain loops. */
class ReducePlanTest {

    /** ts_at of common.cuh. */
    private static long at(Strided s, int k, long i) {
        long[] dims = s.dims();
        long[] st = s.strides(k);
        long off = s.offset(k);
        for (int d = dims.length - 1; d >= 0; d--) {
            off += (i % dims[d]) * st[d];
            i /= dims[d];
        }
        return off;
    }

    /** The kernel's sum, written into a storage of {@code ySize} slots. */
    private static double[] kernelSum(ReducePlan p, double[] x, int ySize) {
        double[] y = new double[ySize];
        for (long o = 0; o < p.outer().numel(); o++) {
            long base = at(p.outer(), 0, o);
            double acc = 0;
            for (long r = 0; r < p.inner().numel(); r++) {
                acc += x[(int) (base + at(p.inner(), 0, r))];
            }
            y[(int) at(p.outer(), 1, o)] = acc;
        }
        return y;
    }

    /** Plain loops: every x element added to the output element with its reduced coordinates zeroed. */
    private static double[] loopSum(Layout x, int[] axes, Layout out, double[] xs, int ySize) {
        double[] y = new double[ySize];
        long n = x.numel();
        int rank = x.rank();
        for (long i = 0; i < n; i++) {
            long[] idx = new long[rank];
            long rem = i;
            for (int d = rank - 1; d >= 0; d--) {
                idx[d] = rem % x.shape().dim(d);
                rem /= x.shape().dim(d);
            }
            double v = xs[(int) x.indexOf(idx)];
            for (int a : axes) {
                idx[a] = 0;
            }
            y[(int) out.indexOf(idx)] += v;
        }
        return y;
    }

    @Test
    void kernelIndexingSumsExactlyTheRightElementsOnRandomLayouts() {
        SplittableRandom r = new SplittableRandom(3);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + r.nextInt(4);
            long[] dims = new long[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = 1 + r.nextInt(4);
            }
            Shape shape = Shape.of(dims);
            // x: a random permutation of a contiguous storage plus an offset
            int[] perm = new int[rank];
            for (int d = 0; d < rank; d++) {
                perm[d] = d;
            }
            for (int d = rank - 1; d > 0; d--) {
                int k = r.nextInt(d + 1);
                int t = perm[d];
                perm[d] = perm[k];
                perm[k] = t;
            }
            long[] stored = new long[rank];
            for (int d = 0; d < rank; d++) {
                stored[d] = dims[perm[d]];
            }
            long[] storedStrides = Shape.of(stored).contiguousStrides();
            long[] strides = new long[rank];
            for (int d = 0; d < rank; d++) {
                strides[perm[d]] = storedStrides[d];
            }
            Layout x = new Layout(shape, strides, 3);
            int mask = 1 + r.nextInt((1 << rank) - 1);
            int count = Integer.bitCount(mask);
            int[] axes = new int[count];
            long[] kept = dims.clone();
            for (int d = 0, k = 0; d < rank; d++) {
                if ((mask & (1 << d)) != 0) {
                    axes[k++] = d;
                    kept[d] = 1;
                }
            }
            Layout out = new Layout(Shape.of(kept), Shape.of(kept).contiguousStrides(), 2);
            double[] xs = new double[(int) shape.numel() + 3];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = r.nextInt(100);
            }
            int ySize = (int) Shape.of(kept).numel() + 2;
            ReducePlan p = ReducePlan.of("sum", x, axes, out);
            assertEquals(java.util.Arrays.toString(loopSum(x, axes, out, xs, ySize)),
                    java.util.Arrays.toString(kernelSum(p, xs, ySize)), "trial " + trial + ": " + x + " axes "
                            + java.util.Arrays.toString(axes));
        }
    }

    @Test
    void threadsArePowersOfTwoBetween32And256() {
        Layout x = Layout.contiguous(Shape.of(3, 1000));
        assertEquals(256, ReducePlan.of("sum", x, new int[] {1}, Layout.contiguous(Shape.of(3, 1))).threads());
        assertEquals(32, ReducePlan.of("sum", x, new int[] {0}, Layout.contiguous(Shape.of(1, 1000))).threads());
        Layout y = Layout.contiguous(Shape.of(70, 2));
        assertEquals(128, ReducePlan.of("sum", y, new int[] {0}, Layout.contiguous(Shape.of(1, 2))).threads());
    }

    @Test
    void mismatchedOutputsAndAxesAreRejectedByName() {
        Layout x = Layout.contiguous(Shape.of(3, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReducePlan.of("max", x, new int[] {1}, Layout.contiguous(Shape.of(3, 4))));
        assertTrue(e.getMessage().startsWith("max: output (3, 4) does not match input (3, 4)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ReducePlan.of("sum", x, new int[] {1, 1},
                Layout.contiguous(Shape.of(3, 1))));
        assertThrows(IllegalArgumentException.class, () -> ReducePlan.of("sum", x, new int[] {2},
                Layout.contiguous(Shape.of(3, 1))));
    }
}
