package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;

/** Joins two or more inputs along one axis (the last by default), as Keras' Concatenate merge. */
public class Concatenate extends Module {
    private final int axis;

    public Concatenate() {
        this(-1);
    }

    public Concatenate(int axis) {
        if (axis == 0) {
            throw new IllegalArgumentException("Concatenate: cannot join along the batch axis — Received: axis=0");
        }
        this.axis = axis;
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        if (inputShapes.length < 2) {
            throw new IllegalArgumentException(where() + ": expected at least 2 inputs — got " + inputShapes.length);
        }
        Shape first = inputShapes[0];
        int a = axis < 0 ? axis + first.rank() : axis;
        if (a <= 0 || a >= first.rank()) {
            throw new IllegalArgumentException(where() + ": axis " + axis + " is out of range for inputs of rank "
                    + first.rank() + " — got shape " + first);
        }
        long total = 0;
        for (Shape s : inputShapes) {
            if (s.rank() != first.rank() || !s.with(a, 1).equals(first.with(a, 1))) {
                throw new IllegalArgumentException(where() + ": inputs must match except on axis " + axis
                        + " — got shapes " + first + " and " + s);
            }
            total += s.dim(a);
        }
        return first.with(a, total);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        return Tensor.concat(axis, inputs);
    }
}
