package dev.tessera.train;

import dev.tessera.Tensor;
import java.util.Map;

/**
 * Stops training when a monitored value has not improved by more than {@code minDelta} for
 * {@code patience} epochs (Keras' EarlyStopping); optionally puts back the weights of the best
 * epoch when training ends.
 */
public final class EarlyStopping implements Callback {
    private final Monitor monitor;
    private final int patience;
    private final double minDelta;
    private final boolean restoreBestWeights;
    private double best;
    private int wait;
    private int bestEpoch;
    private Map<String, Tensor> bestWeights;

    /** Monitors {@code monitor} ("val_loss", "accuracy", ...), larger being better for accuracy-like names. */
    public EarlyStopping(String monitor, int patience, double minDelta, boolean restoreBestWeights) {
        this(monitor, Monitor.Mode.AUTO, patience, minDelta, restoreBestWeights);
    }

    /** With an explicit direction: {@code maximize} true means larger values are better. */
    public EarlyStopping(String monitor, boolean maximize, int patience, double minDelta, boolean restoreBestWeights) {
        this(monitor, maximize ? Monitor.Mode.MAX : Monitor.Mode.MIN, patience, minDelta, restoreBestWeights);
    }

    private EarlyStopping(String monitor, Monitor.Mode mode, int patience, double minDelta, boolean restoreBestWeights) {
        if (patience < 0) {
            throw new IllegalArgumentException("EarlyStopping: patience must be >= 0 — got " + patience);
        }
        if (!(minDelta >= 0)) {
            throw new IllegalArgumentException("EarlyStopping: minDelta must be >= 0 — got " + minDelta);
        }
        this.monitor = new Monitor(monitor, mode);
        this.patience = patience;
        this.minDelta = minDelta;
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        best = Double.NaN;
        wait = 0;
        bestEpoch = -1;
        releaseBest();
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        double current = monitor.value(logs, "EarlyStopping");
        wait++;
        if (monitor.improves(current, best, minDelta)) {
            best = current;
            bestEpoch = epoch;
            wait = 0;
            if (restoreBestWeights) {
                releaseBest();
                bestWeights = Weights.snapshot(trainer.model());
            }
        } else if (wait >= patience) {
            trainer.stopTraining("EarlyStopping: " + monitor.key() + " has not improved for " + wait + " epochs (best "
                    + ProgressBar.value(best) + " at epoch " + (bestEpoch + 1) + "); stopped after epoch " + (epoch + 1));
        }
    }

    @Override
    public void onTrainEnd(Trainer trainer) {
        if (restoreBestWeights && bestWeights != null) {
            Weights.assign(trainer.model(), bestWeights, "EarlyStopping's best weights");
            releaseBest();
        }
    }

    /** The 0-based epoch with the best monitored value so far, or -1. */
    public int bestEpoch() {
        return bestEpoch;
    }

    private void releaseBest() {
        if (bestWeights != null) {
            bestWeights.values().forEach(Tensor::close);
            bestWeights = null;
        }
    }
}
