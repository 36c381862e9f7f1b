package dev.tessera.backend;

/**
 * Random fills. Element i of a fill with (seed, counter) is a pure function of seed and
 * counter + i (see {@link RandomBits}), so every backend produces the same numbers.
 */
public enum RandomOp {
    /** Uniform in [a, b). */
    UNIFORM,
    /** Normal with mean a and standard deviation b (Box-Muller). */
    NORMAL,
    /** 1 with probability a, else 0. */
    BERNOULLI
}
