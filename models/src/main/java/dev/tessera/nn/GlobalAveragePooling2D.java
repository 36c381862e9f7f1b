package dev.tessera.nn;

import dev.tessera.Tensor;

/** The mean of each channel over height and width (Keras' GlobalAveragePooling2D). */
public class GlobalAveragePooling2D extends GlobalPooling2D {
    @Override
    protected Tensor pool(Tensor x, boolean keepDims) {
        return x.mean(keepDims, 1, 2);
    }
}
