package dev.tessera.nn;

import dev.tessera.Tensor;

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

    /** The activation as a layer of its own (Keras' Activation layer). */
    public Module layer() {
        return new ActivationLayer(this);
    }
}
