package dev.tessera.backend;

/** Reductions over axes. ARGMAX and ARGMIN reduce exactly one axis and write INT64 indices (first one on ties). */
public enum ReduceOp {
    SUM("sum", 0.0),
    MAX("max", Double.NEGATIVE_INFINITY),
    MIN("min", Double.POSITIVE_INFINITY),
    PROD("prod", 1.0),
    ARGMAX("argmax", Double.NEGATIVE_INFINITY),
    ARGMIN("argmin", Double.POSITIVE_INFINITY);

    private final String kernel;
    private final double identity;

    ReduceOp(String kernel, double identity) {
        this.kernel = kernel;
        this.identity = identity;
    }

    public String kernel() {
        return kernel;
    }

    /** The starting value of the accumulator (what an empty reduction gives). */
    public double identity() {
        return identity;
    }

    public boolean isArg() {
        return this == ARGMAX || this == ARGMIN;
    }

    /** Combines an accumulator with the next value (not for the arg reductions). */
    public double combine(double acc, double v) {
        return switch (this) {
            case SUM -> acc + v;
            case MAX -> (v > acc || Double.isNaN(v)) ? v : acc;
            case MIN -> (v < acc || Double.isNaN(v)) ? v : acc;
            case PROD -> acc * v;
            default -> throw new IllegalStateException(this + " is an arg reduction");
        };
    }
}
