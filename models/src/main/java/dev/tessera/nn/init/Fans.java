package dev.tessera.nn.init;

import dev.tessera.Shape;

/**
 * Keras' fan-in and fan-out of a weight shape: (in, out) for a dense kernel, and for a kernel of
 * rank 3 or more (..., in, out) both multiplied by the receptive field (the product of the leading
 * axes), so an HWIO conv kernel has fan_in = kh * kw * in and fan_out = kh * kw * out.
 */
public record Fans(double in, double out) {

    public static Fans of(Shape shape) {
        int r = shape.rank();
        if (r == 0) {
            return new Fans(1, 1);
        }
        if (r == 1) {
            return new Fans(shape.dim(0), shape.dim(0));
        }
        double receptive = 1;
        for (int i = 0; i < r - 2; i++) {
            receptive *= shape.dim(i);
        }
        return new Fans(shape.dim(r - 2) * receptive, shape.dim(r - 1) * receptive);
    }
}
