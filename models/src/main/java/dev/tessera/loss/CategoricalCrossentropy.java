package dev.tessera.loss;

import dev.tessera.Tensor;

/**
 * Cross-entropy between one-hot (or soft) targets and predictions of the same shape over the last
 * axis: logits ({@code fromLogits = true}) or probabilities, renormalised and clipped to
 * [1e-7, 1 - 1e-7] as Keras does; the mean over all positions.
 */
public final class CategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    /** Expects probabilities, as Keras' default {@code from_logits=False}. */
    public CategoricalCrossentropy() {
        this(false);
    }

    public CategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Tensor apply(Tensor predictions, Tensor targets) {
        String op = "CategoricalCrossentropy";
        Losses.present(predictions, targets, op);
        Losses.sameShape(predictions, targets, op);
        Tensor logp = Losses.logProbabilities(predictions, fromLogits, op);
        return Losses.asFloating(targets, predictions).mul(logp).sum(-1).mean().neg();
    }

    @Override
    public String name() {
        return "categorical_crossentropy";
    }
}
