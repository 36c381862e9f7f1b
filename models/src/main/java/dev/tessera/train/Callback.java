package dev.tessera.train;

import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, as Keras' callbacks: logs map "loss", each metric name and, at
 * epoch end, "val_"-prefixed validation values to their running or final means. Epochs and steps
 * are counted from 0. A callback stops training with {@link Trainer#stopTraining(String)}.
 */
public interface Callback {

    /** Before the first epoch; the model may not be built yet. */
    default void onTrainBegin(Trainer trainer) {
    }

    default void onEpochBegin(Trainer trainer, int epoch) {
    }

    /** Before each training step; the model is built by then. */
    default void onBatchBegin(Trainer trainer, int epoch, int step) {
    }

    /** After each training step, with the epoch's running means so far. */
    default void onBatchEnd(Trainer trainer, int epoch, int step, Map<String, Double> logs) {
    }

    /** After each epoch (validation included), with the epoch's means. */
    default void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
    }

    /** After the last epoch or after training was stopped (not when an exception ends it). */
    default void onTrainEnd(Trainer trainer) {
    }
}
