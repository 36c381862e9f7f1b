package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;

/** Fills a new parameter tensor; Keras' defaults are glorot-uniform kernels, orthogonal recurrent kernels and zero biases. */
@FunctionalInterface
public interface Initializer {

    /** A new tensor of {@code shape} drawn from {@code gen}. */
    Tensor create(Shape shape, DType dtype, Device device, Generator gen);
}
