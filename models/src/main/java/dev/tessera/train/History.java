package dev.tessera.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Trainer#fit} returns: per-epoch values of the loss, metrics and validation values, as Keras' History. */
public final class History {
    private final List<Integer> epochs = new ArrayList<>();
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private String stopReason;

    void record(int epoch, Map<String, Double> logs) {
        epochs.add(epoch);
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            values.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
        }
    }

    void stopped(String reason) {
        this.stopReason = reason;
    }

    /** The epochs run in this call (0-based; a resumed run starts after the restored epoch). */
    public List<Integer> epochs() {
        return Collections.unmodifiableList(epochs);
    }

    /** Values by key ("loss", "accuracy", "val_loss", ...), one per epoch run. */
    public Map<String, List<Double>> values() {
        return Collections.unmodifiableMap(values);
    }

    /** The values of one key; throws naming the known keys if absent. */
    public List<Double> get(String key) {
        List<Double> v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("History: no values for '" + key + "' — known keys: " + values.keySet());
        }
        return Collections.unmodifiableList(v);
    }

    /** Why training stopped before the last epoch (a callback's message), or null. */
    public String stopReason() {
        return stopReason;
    }

    @Override
    public String toString() {
        return "History" + values;
    }
}
