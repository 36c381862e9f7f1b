package dev.tessera.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float32 exponential stays within 1 ulp of the rounded Math.exp over the whole float range. */
class Exp32Test {

    @Test
    void withinOneUlpOfMathExp() {
        for (double x = -110; x <= 95; x += 0.0137) {
            float expected = (float) Math.exp(x);
            float actual = (float) Exp32.exp(x);
            if (Float.isInfinite(expected) || expected == 0) {
                assertEquals(expected, actual, "x = " + x);
            } else {
                assertTrue(Math.abs(expected - actual) <= Math.ulp(expected), "x = " + x + ": " + actual + " vs " + expected);
            }
        }
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(Exp32.exp(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, Exp32.exp(Double.POSITIVE_INFINITY));
        assertEquals(0.0, Exp32.exp(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Exp32.exp(0.0));
    }
}
