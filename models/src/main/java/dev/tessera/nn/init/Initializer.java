package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;

/**
 * Fills a new parameter tensor; Keras' defaults are glorot-uniform kernels, orthogonal recurrent
 * kernels and zero biases. The static factories give Keras' named initialisers.
 */
@FunctionalInterface
public interface Initializer {

    /** A new tensor of {@code shape} drawn from {@code gen}. */
    Tensor create(Shape shape, DType dtype, Device device, Generator gen);

    static Initializer zeros() {
        return new Constant(0.0);
    }

    static Initializer ones() {
        return new Constant(1.0);
    }

    static Initializer constant(double value) {
        return new Constant(value);
    }

    /** U(-limit, limit) with limit = sqrt(6 / (fan_in + fan_out)). */
    static Initializer glorotUniform() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_AVG, VarianceScaling.Distribution.UNIFORM);
    }

    /** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)) / .8796. */
    static Initializer glorotNormal() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_AVG, VarianceScaling.Distribution.TRUNCATED_NORMAL);
    }

    /** U(-limit, limit) with limit = sqrt(6 / fan_in). */
    static Initializer heUniform() {
        return new VarianceScaling(2.0, VarianceScaling.Mode.FAN_IN, VarianceScaling.Distribution.UNIFORM);
    }

    /** Truncated normal with stddev sqrt(2 / fan_in) / .8796. */
    static Initializer heNormal() {
        return new VarianceScaling(2.0, VarianceScaling.Mode.FAN_IN, VarianceScaling.Distribution.TRUNCATED_NORMAL);
    }

    /** U(-limit, limit) with limit = sqrt(3 / fan_in). */
    static Initializer lecunUniform() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_IN, VarianceScaling.Distribution.UNIFORM);
    }

    /** Truncated normal with stddev sqrt(1 / fan_in) / .8796. */
    static Initializer lecunNormal() {
        return new VarianceScaling(1.0, VarianceScaling.Mode.FAN_IN, VarianceScaling.Distribution.TRUNCATED_NORMAL);
    }

    /** A (semi-)orthogonal matrix over the last axis, gain 1 (Keras' recurrent-kernel default). */
    static Initializer orthogonal() {
        return new Orthogonal(1.0);
    }

    static Initializer orthogonal(double gain) {
        return new Orthogonal(gain);
    }

    /** U(min, max); Keras' Embedding default is U(-0.05, 0.05). */
    static Initializer randomUniform(double min, double max) {
        return new RandomUniform(min, max);
    }

    static Initializer randomNormal(double mean, double stddev) {
        return (shape, dtype, device, gen) -> Tensor.normal(gen, shape, mean, stddev, dtype, device);
    }

    /** Normal draws redrawn until within two standard deviations of the mean. */
    static Initializer truncatedNormal(double mean, double stddev) {
        return (shape, dtype, device, gen) -> TruncatedNormal.sample(shape, mean, stddev, dtype, device, gen);
    }
}
