package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.Arrays;

/** Argument checks shared by the layers' constructors and setters, with Keras' "Received:" messages. */
final class Layers {
    private Layers() {
    }

    static <T> T required(String layer, String option, T value) {
        if (value == null) {
            throw new IllegalArgumentException(layer + ": " + option + " is required — Received: " + option + "=null");
        }
        return value;
    }

    /** One or two positive sizes (height, width); a single value is used for both. */
    static int[] pair(String layer, String option, int... values) {
        if (values == null || values.length < 1 || values.length > 2) {
            throw new IllegalArgumentException(layer + ": expected one or two values for " + option
                    + " — Received: " + option + "=" + Arrays.toString(values));
        }
        int[] p = values.length == 1 ? new int[] {values[0], values[0]} : values.clone();
        if (p[0] <= 0 || p[1] <= 0) {
            throw new IllegalArgumentException(layer + ": expected positive integers for " + option
                    + " — Received: " + option + "=" + Arrays.toString(values));
        }
        return p;
    }

    /** The shapes of some tensors. */
    static Shape[] shapes(Tensor... inputs) {
        Shape[] s = new Shape[inputs.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = inputs[i].shape();
        }
        return s;
    }
}
