package dev.tessera.nn;

import dev.tessera.backend.PoolSpec;

/** Max over pooling windows of NHWC input (Keras' MaxPooling2D; pool 2x2 and strides = pool by default). */
public class MaxPooling2D extends Pooling2D<MaxPooling2D> {

    public MaxPooling2D() {
        this(2);
    }

    /** {@code poolSize}: one value for a square window, or (height, width). */
    public MaxPooling2D(int... poolSize) {
        super(PoolSpec.Kind.MAX, poolSize);
    }
}
