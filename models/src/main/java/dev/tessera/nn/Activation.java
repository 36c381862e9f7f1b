package dev.tessera.nn;

import dev.tessera.Tensor;
import dev.tessera.backend.UnaryOp;
import dev.tessera.ops.Elementwise;

/**
 * The element-wise (or last-axis) activations every layer's {@code activation(...)} setter takes,
 * with Keras' defaults: leaky ReLU slope 0.2, ELU alpha 1, exact (erf) GELU.
 */
public enum Activation {
    LINEAR,
    RELU,
    LEAKY_RELU,
    ELU,
    GELU,
    SIGMOID,
    TANH,
    SOFTMAX,
    LOG_SOFTMAX;

    /** Applies the activation; SOFTMAX and LOG_SOFTMAX work over the last axis. */
    public Tensor apply(Tensor x) {
        return switch (this) {
            case LINEAR -> x;
            case RELU -> x.relu();
            case LEAKY_RELU -> x.leakyRelu(0.2);
            case ELU -> x.elu(1.0);
            case GELU -> x.gelu();
            case SIGMOID -> x.sigmoid();
            case TANH -> x.tanh();
            case SOFTMAX -> x.softmax(-1);
            case LOG_SOFTMAX -> x.logSoftmax(-1);
        };
    }

    /**
     * Applies the activation over x's own memory where it can ({@link Elementwise#unaryOver}): for a
     * layer's temporary that nothing else holds, such as its convolution's output.
     */
    public Tensor applyOver(Tensor x) {
        return switch (this) {
            case RELU -> Elementwise.unaryOver(UnaryOp.RELU, x, 0);
            case SIGMOID -> Elementwise.unaryOver(UnaryOp.SIGMOID, x, 0);
            case TANH -> Elementwise.unaryOver(UnaryOp.TANH, x, 0);
            default -> apply(x);
        };
    }

    /** The activation as a layer of its own (Keras' Activation layer). */
    public Module layer() {
        return new ActivationLayer(this);
    }
}
