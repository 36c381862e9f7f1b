package dev.tessera.train;

import java.util.Map;

/** A monitored log value and the direction that counts as better, shared by EarlyStopping and ModelCheckpoint. */
final class Monitor {
    /** Whether smaller or larger values are better; AUTO picks larger for accuracy-like names, as Keras does. */
    enum Mode { AUTO, MIN, MAX }

    private final String key;
    private final boolean maximize;

    Monitor(String key, Mode mode) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Monitor: the monitored key must be non-empty");
        }
        this.key = key;
        this.maximize = mode == Mode.MAX || (mode == Mode.AUTO && (key.contains("acc") || key.startsWith("fmeasure")));
    }

    String key() {
        return key;
    }

    /** The monitored value in these logs; throws naming the available keys when it is absent. */
    double value(Map<String, Double> logs, String who) {
        Double v = logs.get(key);
        if (v == null) {
            throw new IllegalArgumentException(who + ": monitored value '" + key + "' is not in the logs — available: "
                    + logs.keySet() + (key.startsWith("val_") ? " (pass validation data to fit)" : ""));
        }
        return v;
    }

    /** Whether {@code current} beats {@code best} by more than {@code minDelta} (any value beats NaN best). */
    boolean improves(double current, double best, double minDelta) {
        if (Double.isNaN(current)) {
            return false;
        }
        if (Double.isNaN(best)) {
            return true;
        }
        return maximize ? current - minDelta > best : current + minDelta < best;
    }
}
