package dev.tessera.loss;

import dev.tessera.Tensor;

/**
 * Binary cross-entropy between targets in [0, 1] and predictions of the same shape, the mean over
 * all elements. From logits it uses the stable form max(x, 0) - x z + log(1 + exp(-|x|)); from
 * probabilities it clips them to [1e-7, 1 - 1e-7] as Keras does.
 */
public final class BinaryCrossentropy implements Loss {
    private final boolean fromLogits;

    /** Expects probabilities, as Keras' default {@code from_logits=False}. */
    public BinaryCrossentropy() {
        this(false);
    }

    public BinaryCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Tensor apply(Tensor predictions, Tensor targets) {
        String op = "BinaryCrossentropy";
        Losses.present(predictions, targets, op);
        Losses.sameShape(predictions, targets, op);
        if (!predictions.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": predictions must be floating point — got " + predictions.dtype());
        }
        Tensor z = Losses.asFloating(targets, predictions);
        if (fromLogits) {
            Tensor x = predictions;
            // NOTE: max(x, 0) and |x| = max(x, -x) are written with `maximum`, whose gradient at a tie
            // goes to x: the two kinks then cancel and the gradient at x = 0 is sigmoid(0) - z, as it
            // should be (relu and abs would both give 0 there and lose the 0.5).
            Tensor positive = x.maximum(x.scalarLike(0.0));
            Tensor absolute = x.maximum(x.neg());
            return positive.sub(x.mul(z)).add(absolute.neg().exp().add(1.0).log()).mean();
        }
        Tensor p = predictions.clamp(Losses.EPSILON, 1.0 - Losses.EPSILON);
        return z.mul(p.log()).add(z.rsub(1.0).mul(p.rsub(1.0).log())).mean().neg();
    }

    @Override
    public String name() {
        return "binary_crossentropy";
    }
}
