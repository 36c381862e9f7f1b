package dev.tessera.loss;

import dev.tessera.Tensor;

/**
 * Cross-entropy between integer class labels and predictions over the last axis: logits
 * ({@code fromLogits = true}) or probabilities (renormalised and clipped to [1e-7, 1 - 1e-7] as
 * Keras does). Predictions (..., C) with labels (...) or (..., 1); the mean over all positions.
 */
public final class SparseCategoricalCrossentropy implements Loss {
    private final boolean fromLogits;

    /** Expects probabilities, as Keras' default {@code from_logits=False}. */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this.fromLogits = fromLogits;
    }

    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Tensor apply(Tensor predictions, Tensor targets) {
        String op = "SparseCategoricalCrossentropy";
        Losses.present(predictions, targets, op);
        Tensor logp = Losses.logProbabilities(predictions, fromLogits, op);
        Tensor idx = Losses.sparseIndex(predictions, targets, op);
        return logp.gather(-1, idx).mean().neg();
    }

    @Override
    public String name() {
        return "sparse_categorical_crossentropy";
    }
}
