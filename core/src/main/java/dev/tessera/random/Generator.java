package dev.tessera.random;

/**
 * A seeded, counter-based random stream: each draw takes a block of counter positions, so the
 * same seed gives the same numbers on every backend and the state is just (seed, counter).
 */
public final class Generator {
    private final long seed;
    private long counter;

    public Generator(long seed) {
        this(seed, 0);
    }

    private Generator(long seed, long counter) {
        this.seed = seed;
        this.counter = counter;
    }

    public long seed() {
        return seed;
    }

    /** The next unused counter position. */
    public synchronized long counter() {
        return counter;
    }

    /** Reserves {@code n} counter positions and returns the first. */
    public synchronized long advance(long n) {
        long c = counter;
        counter += n;
        return c;
    }

    /** Restores a counter saved with {@link #counter()} (used to resume training exactly). */
    public synchronized void setCounter(long counter) {
        this.counter = counter;
    }

    /** A new independent stream derived from this one (consumes one position). */
    public Generator split() {
        long c = advance(1);
        return new Generator(dev.tessera.backend.RandomBits.bits(seed, c) ^ 0x5DEECE66DL);
    }

    /** A uniform double in [0, 1) drawn on the host. */
    public double nextDouble() {
        return dev.tessera.backend.RandomBits.uniform(seed, advance(1));
    }

    /** A uniform int in [0, bound) drawn on the host. */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("Generator.nextInt: bound must be > 0 — got " + bound);
        }
        return (int) Math.floor(nextDouble() * bound);
    }

    /** A standard normal double drawn on the host. */
    public double nextGaussian() {
        long c = advance(2);
        return dev.tessera.backend.RandomBits.sample(dev.tessera.backend.RandomOp.NORMAL, seed, c, 0, 0, 1);
    }
}
