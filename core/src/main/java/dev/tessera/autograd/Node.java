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

    private final String op;
    private final Tensor[] inputs;
    private final Backward backward;

    Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
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
            out.setNode(new Node(op, inputs, backward));
        }
        return out;
    }
}
