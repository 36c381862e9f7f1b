package dev.tessera.metrics;

import dev.tessera.Tensor;

/**
 * A quantity tracked during training that is not optimised: the mean over one batch, which the
 * training loop averages over an epoch weighted by batch size (as Keras' stateful metrics do).
 */
public interface Metric {

    /** The key in logs and History, e.g. "accuracy". */
    String name();

    /** The batch mean for these predictions and targets. */
    double compute(Tensor predictions, Tensor targets);
}
