package dev.tessera.loss;

import dev.tessera.Tensor;

/**
 * A training objective: a rank-0 tensor from a batch of predictions and targets, averaged over the
 * batch as Keras' default "sum over batch size" reduction does. Written in tensor ops, so autograd
 * gives its gradient.
 */
@FunctionalInterface
public interface Loss {

    /** The mean loss over the batch (a rank-0 tensor that can be back-propagated). */
    Tensor apply(Tensor predictions, Tensor targets);

    /** The name shown in logs ("loss" is what the training loop prints). */
    default String name() {
        return getClass().getSimpleName();
    }
}
