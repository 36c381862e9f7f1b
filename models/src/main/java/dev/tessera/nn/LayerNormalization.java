package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Normalises each example over its last axis, (x - mean) / sqrt(var + epsilon) * gamma + beta,
 * with Keras' epsilon 1e-3; written in tensor ops so autograd gives the gradient.
 */
public class LayerNormalization extends AffineNormalization<LayerNormalization> {
    private long features = -1;

    @Override
    protected void build(Shape... inputShapes) {
        features = computeOutputShape(inputShapes).dim(-1);
        buildAffine(features);
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        return checkInput(inputShapes, 1, features);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor x = inputs[0];
        Tensor centered = x.sub(x.mean(true, -1));
        Tensor y = centered.mul(centered.square().mean(true, -1).add(epsilon).sqrt().reciprocal());
        if (gamma() != null) {
            y = y.mul(gamma());
        }
        if (beta() != null) {
            y = y.add(beta());
        }
        return y;
    }
}
