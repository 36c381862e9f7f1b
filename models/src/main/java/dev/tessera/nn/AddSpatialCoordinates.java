package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/**
 * Appends two channels to NHWC input: the x position (from -1 at the left to 1 at the right) and
 * the y position (from -1 at the top to 1 at the bottom), as the FiLM paper does; no weights.
 */
public class AddSpatialCoordinates extends Module {
    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectRank(s, 4, "input (batch, height, width, channels)");
        return s.with(3, s.dim(3) + 2);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor x = inputs[0];
        long n = x.dim(0);
        long h = x.dim(1);
        long w = x.dim(2);
        Tensor xs = Tensor.linspace(-1, 1, Math.toIntExact(w), x.dtype(), x.device()).reshape(1, 1, w, 1).expand(n, h, w, 1);
        Tensor ys = Tensor.linspace(-1, 1, Math.toIntExact(h), x.dtype(), x.device()).reshape(1, h, 1, 1).expand(n, h, w, 1);
        return Tensor.concat(3, x, xs, ys);
    }
}
