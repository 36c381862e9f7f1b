package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class TensorAssertTest {

    @Test
    void reportsFirstBadIndexMaxErrorsAndBothShapes() {
        Tensor actual = Tensor.of(new double[] {1, 2, 3.5, 4, 5, 9}, 2, 3);
        Tensor expected = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> TensorAssert.assertClose(actual, expected, 1e-6, 1e-6));
        assertEquals("not close (rtol=1.0E-6, atol=1.0E-6) at index [0, 2]: actual 3.5, expected 3.0; "
                + "max abs error 3.0, max rel error 0.5; actual shape (2, 3), expected shape (2, 3)", e.getMessage());
    }

    @Test
    void shapeMismatchNamesBothShapes() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> TensorAssert.assertClose(Tensor.zeros(2, 3), Tensor.zeros(3, 2), 0, 0));
        assertEquals("shapes differ — actual (2, 3), expected (3, 2)", e.getMessage());
    }

    @Test
    void toleranceIsAbsolutePlusRelative() {
        TensorAssert.assertClose(new double[] {100.0001, 0.0005}, new double[] {100, 0}, 1e-6, 1e-3);
        assertThrows(AssertionFailedError.class,
                () -> TensorAssert.assertClose(new double[] {100.01}, new double[] {100}, 1e-6, 1e-3));
    }

    @Test
    void nanMatchesOnlyNanAndInfinityOnlyItself() {
        TensorAssert.assertClose(new double[] {Double.NaN, Double.POSITIVE_INFINITY},
                new double[] {Double.NaN, Double.POSITIVE_INFINITY}, 0, 0);
        assertThrows(AssertionFailedError.class,
                () -> TensorAssert.assertClose(new double[] {Double.NaN}, new double[] {1}, 1, 1));
        assertThrows(AssertionFailedError.class,
                () -> TensorAssert.assertClose(new double[] {Double.NEGATIVE_INFINITY}, new double[] {Double.POSITIVE_INFINITY}, 1, 1));
    }

    @Test
    void arraysWithShapesCompare() {
        TensorAssert.assertClose(Tensor.of(new float[] {1, 2}, 2), new double[] {1, 2}, Shape.of(2), 0, 0);
    }
}
