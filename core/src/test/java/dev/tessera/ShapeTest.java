package dev.tessera;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ShapeTest {

    @Test
    void numelIsTheProductAndOneForAScalar() {
        assertEquals(24, Shape.of(2, 3, 4).numel());
        assertEquals(1, Shape.scalar().numel());
        assertEquals(0, Shape.of(3, 0, 5).numel());
    }

    @Test
    void contiguousStridesAreRowMajorAndSurviveEmptyDims() {
        assertArrayEquals(new long[] {12, 4, 1}, Shape.of(2, 3, 4).contiguousStrides());
        assertArrayEquals(new long[] {5, 5, 1}, Shape.of(2, 0, 5).contiguousStrides());
    }

    @Test
    void broadcastFollowsNumpyRules() {
        assertEquals(Shape.of(2, 3, 4), Shape.broadcast(Shape.of(3, 1), Shape.of(2, 1, 4), "add"));
        assertEquals(Shape.of(5), Shape.broadcast(Shape.scalar(), Shape.of(5), "add"));
        assertEquals(Shape.of(0, 3), Shape.broadcast(Shape.of(0, 1), Shape.of(3), "add"));
        assertEquals(Shape.of(4, 2), Shape.broadcast(Shape.of(4, 2), Shape.of(4, 2), "add"));
    }

    @Test
    void broadcastMismatchNamesTheOpAndBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Shape.broadcast(Shape.of(2, 3), Shape.of(4), "mul"));
        assertEquals("mul: shapes cannot be broadcast together — got (2, 3) and (4,)", e.getMessage());
    }

    @Test
    void negativeAxesCountFromTheEnd() {
        assertEquals(4, Shape.of(2, 3, 4).dim(-1));
        assertEquals(2, Shape.normalizeAxis(-1, 3, "sum"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Shape.normalizeAxis(3, 3, "sum"));
        assertEquals("sum: axis 3 is out of range for rank 3", e.getMessage());
    }

    @Test
    void negativeDimensionsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
    }

    @Test
    void toStringPrintsPythonTuples() {
        assertEquals("(2, 3)", Shape.of(2, 3).toString());
        assertEquals("(7,)", Shape.of(7).toString());
        assertEquals("()", Shape.scalar().toString());
    }
}
