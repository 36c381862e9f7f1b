package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;

/** Every element set to one value (Keras' Zeros, Ones and Constant); draws nothing from the generator. */
public record Constant(double value) implements Initializer {
    @Override
    public Tensor create(Shape shape, DType dtype, Device device, Generator gen) {
        return Tensor.full(shape, value, dtype, device);
    }
}
