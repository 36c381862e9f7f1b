package dev.tessera.loss;

import dev.tessera.DType;
import dev.tessera.Tensor;

/** Shared pieces of the cross-entropy losses: Keras' clipping epsilon, log-probabilities and label checks. */
final class Losses {
    /** Keras' backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
    static final double EPSILON = 1e-7;

    private Losses() {
    }

    /** Refuses missing predictions or targets with the loss's name rather than a NullPointerException. */
    static void present(Tensor predictions, Tensor targets, String op) {
        if (predictions == null || targets == null) {
            throw new IllegalArgumentException(op + ": predictions and targets are required — got "
                    + (predictions == null ? "no predictions" : "no targets"));
        }
    }

    /**
     * Log-probabilities over the last axis: log-softmax of logits, or, for probabilities, the log of
     * the values renormalised to sum to one and clipped as Keras does.
     */
    static Tensor logProbabilities(Tensor predictions, boolean fromLogits, String op) {
        if (!predictions.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": predictions must be floating point — got " + predictions.dtype());
        }
        if (predictions.rank() < 1) {
            throw new IllegalArgumentException(op + ": predictions need a class axis — got shape " + predictions.shape());
        }
        if (fromLogits) {
            return predictions.logSoftmax(-1);
        }
        Tensor p = predictions.div(predictions.sum(true, -1));
        return p.clamp(EPSILON, 1.0 - EPSILON).log();
    }

    /**
     * Integer class indices shaped like the predictions with a size-1 last axis, ready for gather.
     * Accepts targets with the predictions' shape minus the class axis, or with a trailing 1.
     */
    static Tensor sparseIndex(Tensor predictions, Tensor targets, String op) {
        int r = predictions.rank();
        long classes = predictions.dim(-1);
        boolean plain = targets.rank() == r - 1 && sameLeading(predictions, targets, r - 1);
        boolean trailing = targets.rank() == r && targets.dim(-1) == 1 && sameLeading(predictions, targets, r - 1);
        if (!plain && !trailing) {
            throw new IllegalArgumentException(op + ": targets must have the predictions' shape without the class axis — got targets "
                    + targets.shape() + " for predictions " + predictions.shape());
        }
        Tensor idx = targets.dtype().isFloating() ? targets.to(DType.INT64) : targets;
        if (idx.numel() > 0) {
            long lo = (long) idx.min().item();
            long hi = (long) idx.max().item();
            if (lo < 0 || hi >= classes) {
                throw new IllegalArgumentException(op + ": labels must lie in [0, " + classes + ") — got values from " + lo
                        + " to " + hi);
            }
        }
        return plain ? idx.unsqueeze(-1) : idx;
    }

    private static boolean sameLeading(Tensor a, Tensor b, int n) {
        for (int i = 0; i < n; i++) {
            if (a.dim(i) != b.dim(i)) {
                return false;
            }
        }
        return true;
    }

    static void sameShape(Tensor predictions, Tensor targets, String op) {
        if (!predictions.shape().equals(targets.shape())) {
            throw new IllegalArgumentException(op + ": targets must have the predictions' shape — got targets "
                    + targets.shape() + " for predictions " + predictions.shape());
        }
    }

    /** Targets as the predictions' floating dtype. */
    static Tensor asFloating(Tensor targets, Tensor predictions) {
        return targets.dtype() == predictions.dtype() ? targets : targets.to(predictions.dtype());
    }
}
