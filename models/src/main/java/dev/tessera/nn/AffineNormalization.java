package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;

/**
 * What BatchNormalization and LayerNormalization share: epsilon (Keras' 1e-3), and the learned
 * per-feature factor gamma (scale, ones) and offset beta (center, zeros) over the last axis.
 */
public abstract class AffineNormalization<L extends AffineNormalization<L>> extends Module {
    protected double epsilon = 1e-3;
    private boolean center = true;
    private boolean scale = true;
    private Parameter gamma;
    private Parameter beta;

    @SuppressWarnings("unchecked")
    public L epsilon(double epsilon) {
        requireNotBuilt("epsilon");
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException(typeName() + ": expected a positive epsilon — Received: epsilon=" + epsilon);
        }
        this.epsilon = epsilon;
        return (L) this;
    }

    /** Whether to learn the offset beta (Keras' center). */
    @SuppressWarnings("unchecked")
    public L center(boolean center) {
        requireNotBuilt("center");
        this.center = center;
        return (L) this;
    }

    /** Whether to learn the factor gamma (Keras' scale). */
    @SuppressWarnings("unchecked")
    public L scale(boolean scale) {
        requireNotBuilt("scale");
        this.scale = scale;
        return (L) this;
    }

    /** Registers gamma and beta (as enabled) for {@code features} features, in Keras' order. */
    protected void buildAffine(long features) {
        if (scale) {
            gamma = param("gamma", Shape.of(features), Initializer.ones(), true);
        }
        if (center) {
            beta = param("beta", Shape.of(features), Initializer.zeros(), true);
        }
    }

    /** gamma's value, or null without scale. */
    protected Tensor gamma() {
        return gamma == null ? null : gamma.value();
    }

    /** beta's value, or null without center. */
    protected Tensor beta() {
        return beta == null ? null : beta.value();
    }

    /** Input checks shared by both layers: one input of rank >= 1 whose last axis matches the built size. */
    protected Shape checkInput(Shape[] inputShapes, int minRank, long builtFeatures) {
        expectInputCount(inputShapes.length, 1);
        expectMinRank(inputShapes[0], minRank, "input (..., features)");
        if (builtFeatures >= 0) {
            expectLastDim(inputShapes[0], builtFeatures, "input (..., features)");
        }
        return inputShapes[0];
    }
}
