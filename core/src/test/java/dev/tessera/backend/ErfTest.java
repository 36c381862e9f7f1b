package dev.tessera.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErfTest {
    private static final double TOL = 1e-13;

    @Test
    void matchesKnownValues() {
        assertEquals(0.5204998778130465, Erf.erf(0.5), TOL);
        assertEquals(0.8427007929497149, Erf.erf(1), TOL);
        assertEquals(0.9953222650189527, Erf.erf(2), TOL);
        assertEquals(0.9999992569016276, Erf.erf(3.5), TOL);
        assertEquals(0.9999999999984626, Erf.erf(5), TOL);
    }

    @Test
    void isOddForNegativeArguments() {
        assertEquals(-0.5204998778130465, Erf.erf(-0.5), TOL);
        assertEquals(-0.8427007929497149, Erf.erf(-1), TOL);
        assertEquals(-0.9953222650189527, Erf.erf(-2), TOL);
        assertEquals(-0.9999992569016276, Erf.erf(-3.5), TOL);
        assertEquals(-0.9999999999984626, Erf.erf(-5), TOL);
    }

    @Test
    void isContinuousAcrossTheApproximationBoundaries() {
        // NOTE: Cody's approximation switches formulas at 0.5 and 4; a wrong coefficient shows as a jump there.
        assertEquals(0.5116682611885230, Erf.erf(0.49), TOL);
        assertEquals(0.5292436198411704, Erf.erf(0.51), TOL);
        assertEquals(0.9999999832607886, Erf.erf(3.99), TOL);
        assertEquals(0.9999999858030606, Erf.erf(4.01), TOL);
        assertEquals(0.9999999845827421, Erf.erf(4.0), TOL);
    }

    @Test
    void limitsAndZero() {
        assertEquals(0.0, Erf.erf(0.0), 0);
        assertEquals(1.0, Erf.erf(30), 0);
        assertEquals(-1.0, Erf.erf(Double.NEGATIVE_INFINITY), 0);
        assertEquals(0.2763263901682369, Erf.erf(0.25), TOL);
    }
}
