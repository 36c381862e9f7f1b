package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.Arrays;

/** Reshapes each example to {@code targetShape} (batch axis excluded; one entry may be -1), as Keras' Reshape. */
public class Reshape extends Module {
    private final long[] target;

    public Reshape(long... targetShape) {
        int unknown = 0;
        for (long d : targetShape) {
            if (d == -1) {
                unknown++;
            } else if (d <= 0) {
                throw new IllegalArgumentException("Reshape: expected positive sizes or one -1 — Received: targetShape="
                        + Arrays.toString(targetShape));
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("Reshape: at most one size may be -1 — Received: targetShape="
                    + Arrays.toString(targetShape));
        }
        this.target = targetShape.clone();
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectMinRank(s, 1, "input (batch, ...)");
        long perExample = s.numel() / Math.max(s.dim(0), 1);
        long known = 1;
        int free = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == -1) {
                free = i;
            } else {
                known *= target[i];
            }
        }
        long[] out = new long[target.length + 1];
        out[0] = s.dim(0);
        System.arraycopy(target, 0, out, 1, target.length);
        if (free >= 0 && known > 0 && perExample % known == 0) {
            out[free + 1] = perExample / known;
            known *= out[free + 1];
        }
        if (known != perExample || (free >= 0 && out[free + 1] == -1)) {
            throw new IllegalArgumentException(where() + ": the total size must be unchanged, cannot reshape to "
                    + Arrays.toString(target) + " — got shape " + s);
        }
        return Shape.of(out);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        return inputs[0].reshape(computeOutputShape(Layers.shapes(inputs)).toArray());
    }
}
