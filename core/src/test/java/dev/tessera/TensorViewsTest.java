package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorViewsTest {

    private static Tensor iota(long... dims) {
        return Tensor.arange(0, Shape.of(dims).numel(), 1, DType.FLOAT64, Device.cpu()).reshape(dims);
    }

    @Test
    void reshapePermuteSliceAndExpandShareStorage() {
        Tensor x = iota(2, 3);
        Tensor r = x.reshape(3, 2);
        Tensor p = x.permute(1, 0);
        Tensor s = x.slice(1, 1, 3);
        Tensor e = x.slice(0, 0, 1).expand(4, 3);
        for (Tensor v : new Tensor[] {r, p, s, e}) {
            assertSame(x.storage(), v.storage());
        }
        x.fill(7);
        assertEquals(7.0, r.getDouble(2, 1));
        assertEquals(7.0, p.getDouble(2, 1));
        assertEquals(7.0, s.getDouble(1, 0));
        assertEquals(7.0, e.getDouble(3, 2));
    }

    @Test
    void writesThroughAViewReachTheBase() {
        Tensor x = iota(2, 3);
        x.slice(1, 1, 2).fill(-1);
        assertArrayEquals(new double[] {0, -1, 2, 3, -1, 5}, x.toDoubleArray());
    }

    @Test
    void viewsReadTheRightElements() {
        Tensor x = iota(2, 3, 4);
        assertArrayEquals(new double[] {1, 13, 5, 17, 9, 21}, x.permute(2, 1, 0).select(0, 1).toDoubleArray());
        assertArrayEquals(new double[] {6, 7, 10, 11, 18, 19, 22, 23}, x.slice(1, 1, 3).slice(2, 2, 4).toDoubleArray());
        assertEquals(Layout.class, x.expand(5, 2, 3, 4).layout().getClass());
        assertEquals(0, x.unsqueeze(0).expand(5, 2, 3, 4).layout().stride(0));
    }

    @Test
    void expandUsesStrideZero() {
        Tensor x = iota(3, 1);
        Tensor e = x.expand(3, 4);
        assertArrayEquals(new long[] {1, 0}, e.layout().strides());
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, e.toDoubleArray());
    }

    @Test
    void contiguousReturnsTheSameTensorWhenAlreadyContiguous() {
        Tensor x = iota(2, 3);
        assertSame(x, x.contiguous());
    }

    @Test
    void contiguousCopiesATransposedViewInRowMajorOrder() {
        Tensor x = iota(2, 3);
        Tensor t = x.transpose(0, 1);
        assertFalse(t.isContiguous());
        Tensor c = t.contiguous();
        assertTrue(c.isContiguous());
        assertNotSame(x.storage(), c.storage());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, c.toDoubleArray());
        assertArrayEquals(new long[] {2, 1}, c.layout().strides());
    }

    @Test
    void reshapeOfANonContiguousViewCopies() {
        Tensor x = iota(2, 3);
        Tensor r = x.transpose(0, 1).reshape(6);
        assertNotSame(x.storage(), r.storage());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, r.toDoubleArray());
    }

    @Test
    void closingTheBaseKeepsViewsReadable() {
        Tensor x = iota(2, 3);
        Tensor v = x.slice(0, 1, 2);
        x.close();
        assertArrayEquals(new double[] {3, 4, 5}, v.toDoubleArray());
    }
}
