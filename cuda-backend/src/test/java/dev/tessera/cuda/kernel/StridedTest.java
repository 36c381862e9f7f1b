package dev.tessera.cuda.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Shape;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StridedTest {

    /** Storage offsets of every element, row-major over the dims, as ts_at computes them. */
    private static long[] offsets(Strided s, int k) {
        long[] dims = s.dims();
        long[] st = s.strides(k);
        long n = s.numel();
        long[] out = new long[(int) n];
        for (long i = 0; i < n; i++) {
            long rem = i;
            long off = s.offset(k);
            for (int d = dims.length - 1; d >= 0; d--) {
                off += (rem % dims[d]) * st[d];
                rem /= dims[d];
            }
            out[(int) i] = off;
        }
        return out;
    }

    @Test
    void contiguousOperandsCollapseToRankOne() {
        Strided s = Strided.of(Shape.of(2, 3, 4), new long[][] {{12, 4, 1}, {12, 4, 1}}, new long[] {0, 5}).coalesce();
        assertArrayEquals(new long[] {24}, s.dims());
        assertArrayEquals(new long[] {1}, s.strides(0));
        assertEquals(5, s.offset(1));
    }

    @Test
    void transposedOperandKeepsTheDimensionsItCannotMerge() {
        Strided s = Strided.of(Shape.of(3, 4), new long[][] {{1, 3}, {4, 1}}, new long[] {0, 0}).coalesce();
        assertArrayEquals(new long[] {3, 4}, s.dims());
    }

    @Test
    void sizeOneDimensionsAreDroppedAndScalarsBecomeRankZero() {
        Strided s = Strided.of(Shape.of(1, 5, 1), new long[][] {{99, 2, 7}}, new long[] {3}).coalesce();
        assertArrayEquals(new long[] {5}, s.dims());
        assertArrayEquals(new long[] {2}, s.strides(0));
        Strided scalar = Strided.of(Shape.of(1, 1), new long[][] {{4, 9}}, new long[] {6}).coalesce();
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.numel());
    }

    @Test
    void broadcastZeroStridesMergeOnlyWithZeroStrides() {
        Strided s = Strided.of(Shape.of(2, 3, 4), new long[][] {{0, 0, 1}, {12, 4, 1}}, new long[] {0, 0}).coalesce();
        assertArrayEquals(new long[] {6, 4}, s.dims());
        assertArrayEquals(new long[] {0, 1}, s.strides(0));
    }

    @Test
    void coalescingNeverChangesWhichElementEachIndexReads() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int rank = 1 + r.nextInt(5);
            long[] dims = new long[rank];
            for (int d = 0; d < rank; d++) {
                dims[d] = 1 + r.nextInt(4);
            }
            long[][] strides = new long[3][rank];
            for (int k = 0; k < 3; k++) {
                long acc = 1;
                for (int d = rank - 1; d >= 0; d--) {
                    strides[k][d] = switch (r.nextInt(3)) {
                        case 0 -> acc;
                        case 1 -> 0;
                        default -> 1 + r.nextInt(9);
                    };
                    acc *= dims[d];
                }
            }
            Strided raw = Strided.of(Shape.of(dims), strides, new long[] {0, 3, 11});
            Strided merged = raw.coalesce();
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(offsets(raw, k), offsets(merged, k), "operand " + k + " of trial " + trial);
            }
        }
    }

    @Test
    void moreThanEightUnmergeableDimensionsAreRejectedByName() {
        long[] dims = {2, 2, 2, 2, 2, 2, 2, 2, 2};
        long[] strides = {1, 2, 4, 8, 16, 32, 64, 128, 256};
        Strided s = Strided.of(Shape.of(dims), new long[][] {strides}, new long[] {0}).coalesce();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.requireKernelRank("copy"));
        assertEquals(true, e.getMessage().startsWith("copy: CUDA kernels take at most 8"));
    }
}
