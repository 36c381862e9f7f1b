package dev.tessera.memory;

import dev.tessera.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Frees deterministically every tensor created inside it that was not kept:
 * {@code try (var scope = MemoryScope.open()) { ...; scope.keep(result); }}. Scopes nest per
 * thread; a kept tensor moves to the enclosing scope (or to none).
 */
public final class MemoryScope implements AutoCloseable {
    private static final ThreadLocal<MemoryScope> CURRENT = new ThreadLocal<>();

    private final MemoryScope parent;
    private final List<Tensor> owned = new ArrayList<>();
    private boolean closed;

    private MemoryScope(MemoryScope parent) {
        this.parent = parent;
    }

    /** Opens a scope nested in the current one and makes it current on this thread. */
    public static MemoryScope open() {
        MemoryScope s = new MemoryScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** The innermost open scope on this thread, or null. */
    public static MemoryScope current() {
        return CURRENT.get();
    }

    /** Runs {@code body} with no current scope, so the tensors it creates live until closed or collected. */
    public static <T> T unscoped(Supplier<T> body) {
        MemoryScope saved = CURRENT.get();
        CURRENT.set(null);
        try {
            return body.get();
        } finally {
            CURRENT.set(saved);
        }
    }

    /** Called by Tensor's constructor: the tensor is freed when the current scope closes. */
    public static void register(Tensor t) {
        MemoryScope s = CURRENT.get();
        if (s != null) {
            s.owned.add(t);
            t.setScope(s);
        }
    }

    /** A position in the list of tensors this scope owns, for {@link #markIntermediatesSince}. */
    public int mark() {
        return owned.size();
    }

    /**
     * Marks every tensor made in this scope since {@code mark} and still owned by it as an
     * intermediate ({@link Tensor#markIntermediate}), except {@code result}: for a module's forward
     * pass, whose caller receives only its result.
     */
    public void markIntermediatesSince(int mark, Tensor result) {
        for (int i = mark; i < owned.size(); i++) {
            Tensor t = owned.get(i);
            if (t != result && t.scope() == this) {
                t.markIntermediate();
            }
        }
    }

    /** Moves {@code t} out of this scope into the enclosing one (or none) and returns it. */
    public <T extends Tensor> T keep(T t) {
        if (t.scope() == this) {
            t.setScope(parent);
            if (parent != null) {
                parent.owned.add(t);
            }
        }
        return t;
    }

    /** Removes {@code t} from whatever scope owns it; it then lives until closed or collected. */
    public static <T extends Tensor> T escape(T t) {
        t.setScope(null);
        return t;
    }

    /** Closes every tensor still owned and makes the enclosing scope current again. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (CURRENT.get() != this) {
            throw new IllegalStateException("MemoryScope: scopes must be closed innermost first");
        }
        closed = true;
        CURRENT.set(parent);
        for (Tensor t : owned) {
            if (t.scope() == this) {
                t.close();
            }
        }
        owned.clear();
    }
}
