package dev.tessera.backend;

/**
 * The counter-based generator every backend uses for random fills: SplitMix64's finaliser of
 * (seed, index). A CUDA kernel computes the same function, so a seeded run draws the same numbers
 * on every device.
 */
public final class RandomBits {
    private RandomBits() {
    }

    /** 64 well-mixed bits for position {@code index} of stream {@code seed}. */
    public static long bits(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform double in [0, 1) with 53 random bits. */
    public static double uniform(long seed, long index) {
        return (bits(seed, index) >>> 11) * 0x1.0p-53;
    }

    /**
     * Element {@code i} of a fill: uniform values use index counter+i; a normal value uses the pair
     * (counter+2i, counter+2i+1) through Box-Muller.
     */
    public static double sample(RandomOp op, long seed, long counter, long i, double a, double b) {
        return switch (op) {
            case UNIFORM -> a + (b - a) * uniform(seed, counter + i);
            case BERNOULLI -> uniform(seed, counter + i) < a ? 1.0 : 0.0;
            case NORMAL -> {
                double u1 = 1.0 - uniform(seed, counter + 2 * i);
                double u2 = uniform(seed, counter + 2 * i + 1);
                yield a + b * Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
            }
        };
    }

    /** How many counter positions a fill of {@code numel} elements consumes. */
    public static long countersUsed(RandomOp op, long numel) {
        return op == RandomOp.NORMAL ? 2 * numel : numel;
    }
}
