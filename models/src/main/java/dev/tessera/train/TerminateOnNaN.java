package dev.tessera.train;

import java.util.Map;

/** Stops training as soon as the loss becomes NaN or infinite, naming the epoch and step (Keras' TerminateOnNaN). */
public final class TerminateOnNaN implements Callback {

    @Override
    public void onBatchEnd(Trainer trainer, int epoch, int step, Map<String, Double> logs) {
        Double loss = logs.get("loss");
        if (loss != null && (loss.isNaN() || loss.isInfinite())) {
            trainer.stopTraining("TerminateOnNaN: loss became " + (loss.isNaN() ? "NaN" : "infinite") + " at epoch "
                    + (epoch + 1) + ", step " + (step + 1) + "; training stopped");
        }
    }
}
