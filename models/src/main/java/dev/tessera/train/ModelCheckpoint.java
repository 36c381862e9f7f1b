package dev.tessera.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves the model's weights as safetensors after every epoch, or only when a monitored value
 * improves (Keras' ModelCheckpoint with save_best_only). The path may contain "{epoch}" or
 * "{epoch:02d}", replaced by the 1-based epoch number. Each file is written atomically (temp file,
 * fsync, rename), so a crash never leaves a half-written checkpoint.
 */
public final class ModelCheckpoint implements Callback {
    private static final Pattern EPOCH = Pattern.compile("\\{epoch(?::0?(\\d+)d)?}");

    private final String pattern;
    private final Monitor monitor;
    private double best = Double.NaN;

    /** Saves after every epoch. */
    public ModelCheckpoint(Path path) {
        this.pattern = path.toString();
        this.monitor = null;
    }

    /** Saves only when {@code monitor} ("val_loss", "val_accuracy", ...) improves; larger is better for accuracy-like names. */
    public ModelCheckpoint(Path path, String monitor) {
        this.pattern = path.toString();
        this.monitor = new Monitor(monitor, Monitor.Mode.AUTO);
    }

    @Override
    public void onTrainBegin(Trainer trainer) {
        best = Double.NaN;
    }

    @Override
    public void onEpochEnd(Trainer trainer, int epoch, Map<String, Double> logs) {
        if (monitor != null) {
            double current = monitor.value(logs, "ModelCheckpoint");
            if (!monitor.improves(current, best, 0.0)) {
                return;
            }
            best = current;
        }
        Path target = pathFor(epoch);
        try {
            Weights.save(trainer.model(), target);
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint: cannot write " + target, e);
        }
    }

    /** The file written for a 0-based epoch. */
    public Path pathFor(int epoch) {
        Matcher m = EPOCH.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            String width = m.group(1);
            String number = width == null ? Integer.toString(epoch + 1)
                    : String.format(Locale.ROOT, "%0" + width + "d", epoch + 1);
            m.appendReplacement(b, Matcher.quoteReplacement(number));
        }
        m.appendTail(b);
        return Path.of(b.toString());
    }
}
