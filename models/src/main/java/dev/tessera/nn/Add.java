package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** Element-wise sum of two or more inputs of the same shape (Keras' Add merge). */
public class Add extends Module {
    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        if (inputShapes.length < 2) {
            throw new IllegalArgumentException(where() + ": expected at least 2 inputs — got " + inputShapes.length);
        }
        for (Shape s : inputShapes) {
            if (!s.equals(inputShapes[0])) {
                throw new IllegalArgumentException(where() + ": expected inputs of one shape — got shapes "
                        + inputShapes[0] + " and " + s);
            }
        }
        return inputShapes[0];
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor sum = inputs[0];
        for (int i = 1; i < inputs.length; i++) {
            sum = sum.add(inputs[i]);
        }
        return sum;
    }
}
