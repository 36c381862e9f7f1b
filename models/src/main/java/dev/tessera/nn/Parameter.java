package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;

/**
 * A named, persistent tensor of a module: trainable weights, or non-trainable state such as batch
 * norm's moving statistics. A handle, not a Tensor subclass: optimizers update {@link #value()} in
 * place under {@link Grad#disabled()}.
 */
public final class Parameter {
    private final String name;
    private final Tensor value;
    private boolean trainable;

    /** Wraps {@code value}, taking it out of any memory scope so that it lives as long as the module. */
    public Parameter(String name, Tensor value, boolean trainable) {
        if (name == null || name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("Parameter: name must be non-empty and contain no '/' — got '" + name + "'");
        }
        if (!value.isLeaf()) {
            throw new IllegalArgumentException("Parameter " + name + ": value must be a leaf tensor, not the result of an op");
        }
        this.name = name;
        this.value = MemoryScope.escape(value);
        setTrainable(trainable);
    }

    /** The local name, e.g. "kernel". */
    public String name() {
        return name;
    }

    /** The tensor itself (a leaf that requires a gradient when trainable). */
    public Tensor value() {
        return value;
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return value.grad();
    }

    public boolean isTrainable() {
        return trainable;
    }

    /** Frozen parameters get no gradient and are skipped by optimizers. */
    public void setTrainable(boolean trainable) {
        this.trainable = trainable && value.dtype().isFloating();
        value.requiresGrad(this.trainable);
    }

    /** Copies {@code src} into the value in place, checking shape. */
    public void assign(Tensor src) {
        if (!src.shape().equals(value.shape())) {
            throw new IllegalArgumentException("Parameter " + name + ": cannot assign shape " + src.shape()
                    + " to shape " + value.shape());
        }
        try (Grad ignored = Grad.disabled()) {
            value.copyFrom(src);
        }
    }

    @Override
    public String toString() {
        return "Parameter(" + name + ", " + value.shape() + ", " + value.dtype() + (trainable ? "" : ", non-trainable") + ")";
    }
}
