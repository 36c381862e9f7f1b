package dev.tessera.autograd;

/** Turns gradient recording off for a block: {@code try (var g = Grad.disabled()) { ... }}. */
public final class Grad implements AutoCloseable {
    private static final ThreadLocal<Boolean> ENABLED = ThreadLocal.withInitial(() -> Boolean.TRUE);

    private final boolean previous;

    private Grad(boolean enable) {
        previous = ENABLED.get();
        ENABLED.set(enable);
    }

    /** Disables recording until the returned object is closed. */
    public static Grad disabled() {
        return new Grad(false);
    }

    /** Enables recording until the returned object is closed. */
    public static Grad enabled() {
        return new Grad(true);
    }

    /** Whether ops on this thread record graph nodes. */
    public static boolean isEnabled() {
        return ENABLED.get();
    }

    @Override
    public void close() {
        ENABLED.set(previous);
    }
}
