package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** What GlobalMaxPooling2D and GlobalAveragePooling2D share: (N, H, W, C) becomes (N, C), or (N, 1, 1, C) with keepDims. */
public abstract class GlobalPooling2D extends Module {
    private boolean keepDims;

    /** Keeps the pooled axes as size 1 (Keras' keepdims). */
    public GlobalPooling2D keepDims(boolean keepDims) {
        requireNotBuilt("keepDims");
        this.keepDims = keepDims;
        return this;
    }

    /** Reduces axes 1 and 2. */
    protected abstract Tensor pool(Tensor x, boolean keepDims);

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectRank(s, 4, "input (batch, height, width, channels)");
        return keepDims ? Shape.of(s.dim(0), 1, 1, s.dim(3)) : Shape.of(s.dim(0), s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        return pool(inputs[0], keepDims);
    }
}
