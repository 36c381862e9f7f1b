package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** Collapses every axis but the batch axis: (N, d1, d2, ...) becomes (N, d1 * d2 * ...). */
public class Flatten extends Module {
    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectMinRank(s, 1, "input (batch, ...)");
        long rest = 1;
        for (int i = 1; i < s.rank(); i++) {
            rest *= s.dim(i);
        }
        return Shape.of(s.dim(0), rest);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].reshape(computeOutputShape(Layers.shapes(inputs)).toArray());
    }
}
