package dev.tessera.metrics;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.util.function.BiFunction;

/**
 * Keras' accuracy metrics, written in tensor ops: each builds a tensor of 1 (correct) and 0 per
 * position and takes its mean. Predictions may be logits or probabilities alike (only their order
 * matters).
 */
public final class Metrics {
    private Metrics() {
    }

    /** Sparse categorical accuracy under Keras' usual display name "accuracy". */
    public static Metric accuracy() {
        return named("accuracy", Metrics::sparseHits);
    }

    /** argmax of predictions (..., C) equals the integer label (...) or (..., 1). */
    public static Metric sparseCategoricalAccuracy() {
        return named("sparse_categorical_accuracy", Metrics::sparseHits);
    }

    /** argmax of predictions equals argmax of one-hot targets of the same shape. */
    public static Metric categoricalAccuracy() {
        return named("categorical_accuracy", (p, t) -> {
            sameShape("categorical_accuracy", p, t);
            return p.argmax(-1).eq(t.argmax(-1));
        });
    }

    /** (prediction > threshold) equals the 0/1 target, element by element. */
    public static Metric binaryAccuracy(double threshold) {
        return named("binary_accuracy", (p, t) -> {
            sameShape("binary_accuracy", p, t);
            return p.gt(threshold).eq(t.to(p.dtype()));
        });
    }

    /** The label is among the k highest-scoring classes (ties in the label's favour), as Keras' sparse top-k. */
    public static Metric sparseTopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("sparse_top_k_categorical_accuracy: k must be >= 1 — got " + k);
        }
        return named("sparse_top_" + k + "_categorical_accuracy", (p, t) -> {
            Tensor labelScore = p.gather(-1, sparseLabels("sparse_top_k_categorical_accuracy", p, t).unsqueeze(-1));
            Tensor higher = p.gt(labelScore).sum(-1);
            return higher.lt(k);
        });
    }

    /** A metric from a function giving 1/0 per position; the batch value is their mean. */
    public static Metric named(String name, BiFunction<Tensor, Tensor, Tensor> hits) {
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public double compute(Tensor predictions, Tensor targets) {
                Tensor h = hits.apply(predictions, targets);
                return h.numel() == 0 ? 0.0 : h.to(DType.FLOAT32).mean().item();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static Tensor sparseHits(Tensor p, Tensor t) {
        return p.argmax(-1).eq(sparseLabels("sparse_categorical_accuracy", p, t));
    }

    /** Labels as INT64 with the predictions' shape minus the class axis. */
    private static Tensor sparseLabels(String op, Tensor p, Tensor t) {
        Tensor labels = t.rank() == p.rank() && t.dim(-1) == 1 ? t.squeeze(-1) : t;
        if (labels.rank() != p.rank() - 1) {
            throw new IllegalArgumentException(op + ": labels must have the predictions' shape without the class axis — got "
                    + t.shape() + " for predictions " + p.shape());
        }
        return labels.to(DType.INT64);
    }

    private static void sameShape(String op, Tensor p, Tensor t) {
        if (!p.shape().equals(t.shape())) {
            throw new IllegalArgumentException(op + ": targets must have the predictions' shape — got " + t.shape()
                    + " for predictions " + p.shape());
        }
    }
}
