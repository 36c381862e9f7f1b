package dev.tessera.testing;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.Arrays;
import org.opentest4j.AssertionFailedError;

/**
 * Element-wise closeness assertions, |actual - expected| <= atol + rtol * |expected|, with NaN
 * matching NaN and infinities matching themselves. A failure names the first bad index, the largest
 * absolute and relative errors, and both shapes.
 */
public final class TensorAssert {
    private TensorAssert() {
    }

    /** Compares two tensors of equal shape (any dtypes, compared as doubles). */
    public static void assertClose(Tensor actual, Tensor expected, double rtol, double atol) {
        assertClose(actual.toDoubleArray(), actual.shape(), expected.toDoubleArray(), expected.shape(), rtol, atol, "");
    }

    /** Compares a tensor with expected values of the given shape. */
    public static void assertClose(Tensor actual, double[] expected, Shape expectedShape, double rtol, double atol) {
        assertClose(actual.toDoubleArray(), actual.shape(), expected, expectedShape, rtol, atol, "");
    }

    /** Compares two flat arrays. */
    public static void assertClose(double[] actual, double[] expected, double rtol, double atol) {
        assertClose(actual, Shape.of(actual.length), expected, Shape.of(expected.length), rtol, atol, "");
    }

    /** Compares two flat float arrays. */
    public static void assertClose(float[] actual, float[] expected, double rtol, double atol) {
        assertClose(toDoubles(actual), toDoubles(expected), rtol, atol);
    }

    /**
     * Compares row-major values of two shapes; {@code what} (may be empty) starts the failure message.
     */
    public static void assertClose(double[] actual, Shape actualShape, double[] expected, Shape expectedShape,
                                   double rtol, double atol, String what) {
        String prefix = what.isEmpty() ? "" : what + ": ";
        if (!actualShape.equals(expectedShape) || actual.length != expected.length) {
            throw new AssertionFailedError(prefix + "shapes differ — actual " + actualShape + ", expected " + expectedShape);
        }
        int firstBad = -1;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < actual.length; i++) {
            double a = actual[i];
            double e = expected[i];
            if (Double.compare(a, e) == 0 || (Double.isNaN(a) && Double.isNaN(e))) {
                continue;
            }
            double abs = Math.abs(a - e);
            double rel = abs / Math.abs(e);
            boolean bad = !(abs <= atol + rtol * Math.abs(e));
            if (Double.isNaN(abs) || Double.isInfinite(a) || Double.isInfinite(e)) {
                abs = Double.POSITIVE_INFINITY;
                rel = Double.POSITIVE_INFINITY;
                bad = true;
            }
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Double.isNaN(rel) ? maxRel : Math.max(maxRel, rel);
            if (bad && firstBad < 0) {
                firstBad = i;
            }
        }
        if (firstBad >= 0) {
            throw new AssertionFailedError(prefix + "not close (rtol=" + rtol + ", atol=" + atol + ") at index "
                    + Arrays.toString(NaiveBackend.unravel(actualShape, firstBad)) + ": actual " + actual[firstBad]
                    + ", expected " + expected[firstBad] + "; max abs error " + maxAbs + ", max rel error " + maxRel
                    + "; actual shape " + actualShape + ", expected shape " + expectedShape);
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
