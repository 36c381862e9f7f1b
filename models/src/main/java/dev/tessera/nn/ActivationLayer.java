package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** Keras' Activation layer: applies one {@link Activation}; shown as "Activation" in summaries. */
public final class ActivationLayer extends Module implements PassesMask {
    private final Activation activation;
    private boolean overwrite;

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

    /**
     * Like {@link #callMasked}, but writing over x's memory where it can ({@link Activation#applyOver}):
     * for a container passing on a temporary of its own that no one else holds.
     */
    Tensor callOver(Tensor mask, Tensor x) {
        overwrite = true;
        try {
            return callMasked(mask, x);
        } finally {
            overwrite = false;
        }
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return overwrite ? activation.applyOver(inputs[0]) : activation.apply(inputs[0]);
    }
}
