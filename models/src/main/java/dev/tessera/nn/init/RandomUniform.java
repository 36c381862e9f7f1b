package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;

/** Uniform draws in [min, max). */
public record RandomUniform(double min, double max) implements Initializer {
    public RandomUniform {
        if (!(min < max)) {
            throw new IllegalArgumentException("RandomUniform: expected min < max — Received: min=" + min + ", max=" + max);
        }
    }

    @Override
    public Tensor create(Shape shape, DType dtype, Device device, Generator gen) {
        return Tensor.uniform(gen, shape, min, max, dtype, device);
    }
}
