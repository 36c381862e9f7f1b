package dev.tessera.testing;

import java.util.SplittableRandom;

/** Where test inputs are drawn from, so that every op sees values inside its mathematical domain. */
public enum Domain {
    /** Uniform in [-2, 2). */
    ANY(-2, 2, false),
    /** Uniform in [0.5, 2): safe for log, sqrt, reciprocal and fractional powers. */
    POSITIVE(0.5, 2, false),
    /** Uniform in [-0.9, 0.9). */
    UNIT(-0.9, 0.9, false),
    /** Uniform in [0.7, 1.3): long products stay finite. */
    NEAR_ONE(0.7, 1.3, false),
    /** Whole numbers from -3 to 3, so comparisons meet ties. */
    INTEGER(-3, 4, true);

    private final double low;
    private final double high;
    private final boolean integers;

    Domain(double low, double high, boolean integers) {
        this.low = low;
        this.high = high;
        this.integers = integers;
    }

    /** One value of the domain. */
    public double sample(SplittableRandom random) {
        double v = low + (high - low) * random.nextDouble();
        return integers ? Math.floor(v) : v;
    }

    /** {@code n} values of the domain. */
    public double[] sample(SplittableRandom random, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = sample(random);
        }
        return v;
    }
}
