package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;
import dev.tessera.ops.Normalization;

/**
 * Batch normalisation over the last (channel) axis with Keras' defaults: momentum 0.99, epsilon
 * 1e-3, learned gamma and beta, and the non-trainable "moving_mean" and "moving_variance",
 * updated in training mode and used in inference mode.
 */
public class BatchNormalization extends AffineNormalization<BatchNormalization> {
    private double momentum = 0.99;
    private Parameter movingMean;
    private Parameter movingVariance;

    public BatchNormalization momentum(double momentum) {
        requireNotBuilt("momentum");
        if (!(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("BatchNormalization: expected momentum in [0, 1] — Received: momentum="
                    + momentum);
        }
        this.momentum = momentum;
        return this;
    }

    @Override
    protected void build(Shape... inputShapes) {
        Shape c = Shape.of(computeOutputShape(inputShapes).dim(-1));
        buildAffine(c.dim(0));
        movingMean = param("moving_mean", c, Initializer.zeros(), false);
        movingVariance = param("moving_variance", c, Initializer.ones(), false);
    }

    @Override
    protected boolean isState(String localName) {
        return localName.equals("moving_mean") || localName.equals("moving_variance");
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        return checkInput(inputShapes, 2, movingMean == null ? -1 : movingMean.value().dim(0));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        return Normalization.batchNorm(inputs[0], gamma(), beta(), movingMean.value(), movingVariance.value(),
                momentum, epsilon, isTraining());
    }
}
