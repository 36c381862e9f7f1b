package dev.tessera.nn;

import dev.tessera.backend.PoolSpec;

/**
 * Mean over pooling windows of NHWC input (Keras' AveragePooling2D); with 'same' padding the
 * padded pixels are left out of the mean, as TensorFlow does.
 */
public class AveragePooling2D extends Pooling2D<AveragePooling2D> {

    public AveragePooling2D() {
        this(2);
    }

    /** {@code poolSize}: one value for a square window, or (height, width). */
    public AveragePooling2D(int... poolSize) {
        super(PoolSpec.Kind.AVG, poolSize);
    }
}
