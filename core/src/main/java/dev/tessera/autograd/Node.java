package dev.tessera.autograd;

import dev.tessera.Tensor;

/**
 * One recorded operation: its name, the inputs it read and the function that turns the output's
 * gradient into one gradient per input (null for an input that needs none).
 */
public final class Node {
    /** The vector-Jacobian product of an op. */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOut);
    }

    /**
     * For ops whose output is a window of their single input (slices): adds the output gradient
     * {@code g} into the matching window of {@code inputGrad}, a full-size buffer autograd owns.
     * Saves building a zero-padded full-size gradient per slice, which made taking T time steps
     * of a sequence cost O(T^2).
     */
    @FunctionalInterface
    public interface Accumulator {
        void addInto(Tensor inputGrad, Tensor g);
    }

    private final String op;
    private final Tensor[] inputs;
    private final Backward backward;
    private final Accumulator accumulator;

    Node(String op, Tensor[] inputs, Backward backward, Accumulator accumulator) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
        this.accumulator = accumulator;
    }

    public String op() {
        return op;
    }

    public Tensor[] inputs() {
        return inputs;
    }

    public Backward backward() {
        return backward;
    }

    /** The in-place accumulator of a window op, or null. */
    public Accumulator accumulator() {
        return accumulator;
    }

    /** Like {@link #record}, for a window of a single input whose gradient is accumulated in place. */
    public static Tensor recordWindow(Tensor out, String op, Accumulator accumulator, Tensor input) {
        if (Grad.isEnabled() && input.requiresGrad()) {
            Backward backward = g -> {
                Tensor full = Tensor.zeros(input.shape(), g.dtype(), g.device());
                accumulator.addInto(full, g);
                return new Tensor[] {full};
            };
            out.setNode(new Node(op, new Tensor[] {input}, backward, accumulator));
        }
        return out;
    }

    /**
     * Records {@code out} as produced by {@code op} from {@code inputs} when recording is on and
     * an input needs a gradient; returns {@code out}.
     */
    public static Tensor record(Tensor out, String op, Backward backward, Tensor... inputs) {
        if (!Grad.isEnabled()) {
            return out;
        }
        boolean any = false;
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) {
                any = true;
                break;
            }
        }
        if (any) {
            out.setNode(new Node(op, inputs, backward, null));
        }
        return out;
    }
}
