package dev.tessera.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The float32 exponential and tanh stay within 1 ulp of the rounded Math.exp and Math.tanh over the whole float range. */
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
    void tanhWithinOneUlpOfMathTanh() {
        for (double x = -25; x <= 25; x += 0.000731) {
            float expected = (float) Math.tanh(x);
            float actual = (float) Exp32.tanh(x);
            assertTrue(Math.abs(expected - actual) <= Math.ulp(expected), "x = " + x + ": " + actual + " vs " + expected);
        }
        for (double x = 1e-30; x < 0.1; x *= 1.01) {
            assertTrue(Math.abs((float) Math.tanh(x) - (float) Exp32.tanh(x)) <= Math.ulp((float) Math.tanh(x)), "x = " + x);
            assertEquals(-(float) Exp32.tanh(x), (float) Exp32.tanh(-x), "odd at x = " + x);
        }
    }

    @Test
    void tanhSpecialValues() {
        assertTrue(Double.isNaN(Exp32.tanh(Double.NaN)));
        assertEquals(1.0, Exp32.tanh(Double.POSITIVE_INFINITY));
        assertEquals(-1.0, Exp32.tanh(Double.NEGATIVE_INFINITY));
        assertEquals(0.0, Exp32.tanh(0.0));
        assertEquals(Double.doubleToLongBits(-0.0), Double.doubleToLongBits(Exp32.tanh(-0.0)));
    }

    @Test
    void specialValues() {
        assertTrue(Double.isNaN(Exp32.exp(Double.NaN)));
        assertEquals(Double.POSITIVE_INFINITY, Exp32.exp(Double.POSITIVE_INFINITY));
        assertEquals(0.0, Exp32.exp(Double.NEGATIVE_INFINITY));
        assertEquals(1.0, Exp32.exp(0.0));
    }
}
