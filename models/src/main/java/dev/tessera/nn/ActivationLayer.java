package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** Keras' Activation layer: applies one {@link Activation}; shown as "Activation" in summaries. */
public final class ActivationLayer extends Module {
    private final Activation activation;

    public ActivationLayer(Activation activation) {
        if (activation == null) {
            throw new IllegalArgumentException("Activation: an activation is required — Received: activation=null");
        }
        this.activation = activation;
    }

    public Activation activation() {
        return activation;
    }

    @Override
    public String typeName() {
        return "Activation";
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        return inputShapes[0];
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return activation.apply(inputs[0]);
    }
}
