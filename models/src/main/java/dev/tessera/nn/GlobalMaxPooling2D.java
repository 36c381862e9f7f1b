package dev.tessera.nn;

import dev.tessera.Tensor;

/** The maximum of each channel over height and width (Keras' GlobalMaxPooling2D). */
public class GlobalMaxPooling2D extends GlobalPooling2D {
    @Override
    protected Tensor pool(Tensor x, boolean keepDims) {
        return x.max(keepDims, 1, 2);
    }
}
