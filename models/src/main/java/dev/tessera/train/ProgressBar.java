package dev.tessera.train;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;

/**
 * Keras' per-epoch progress line, e.g.
 * {@code 234/234 [==============================] - 36s 153ms/step - loss: 0.9500 - accuracy: 0.4500}.
 * On a terminal it is redrawn in place with a carriage return (an ETA while running); otherwise
 * only the finished line is printed, one per epoch. Hand-written because Keras' exact format is
 * simpler to produce directly than to coax out of a progress-bar library.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long MIN_REDRAW_NANOS = 50_000_000L;

    private final PrintStream out;
    private final boolean interactive;
    private final long target;
    private final long startNanos;
    private long lastDrawNanos;
    private int lastWidth;

    /**
     * A bar for one epoch of {@code target} steps (0 or less when unknown, shown as "Unknown"
     * as Keras does for a first pass over a stream).
     */
    public ProgressBar(PrintStream out, boolean interactive, long target) {
        this.out = out;
        this.interactive = interactive;
        this.target = target;
        this.startNanos = System.nanoTime();
    }

    /** Redraws the line for {@code current} finished steps (on a terminal, at most every 50 ms). */
    public void update(long current, Map<String, Double> logs) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos < MIN_REDRAW_NANOS && current != target) {
            return;
        }
        lastDrawNanos = now;
        draw(format(current, logs, false, (now - startNanos) / 1e9), false);
    }

    /** Prints the finished line with the epoch's final values (validation included) and a newline. */
    public void finish(long steps, Map<String, Double> logs) {
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        draw(format(steps, logs, true, elapsed), true);
    }

    private void draw(String line, boolean last) {
        StringBuilder b = new StringBuilder();
        if (interactive) {
            b.append('\r').append(line);
            for (int i = line.length(); i < lastWidth; i++) {
                b.append(' ');
            }
            lastWidth = line.length();
        } else {
            b.append(line);
        }
        if (last) {
            b.append(System.lineSeparator());
        }
        out.print(b);
        out.flush();
    }

    /** The text of the line after {@code current} steps and {@code elapsed} seconds. */
    String format(long current, Map<String, Double> logs, boolean finished, double elapsed) {
        StringBuilder b = new StringBuilder();
        boolean known = target > 0;
        if (known) {
            int digits = Long.toString(target).length();
            b.append(String.format(Locale.ROOT, "%" + digits + "d/%d [", current, target));
            double fraction = Math.min(1.0, (double) current / target);
            int done = (int) (WIDTH * fraction);
            if (done > 0) {
                b.append("=".repeat(done - 1)).append(current < target ? '>' : '=');
            }
            b.append(".".repeat(WIDTH - done)).append(']');
        } else {
            b.append(String.format(Locale.ROOT, "%7d/Unknown", current));
        }
        double perStep = current > 0 ? elapsed / current : 0.0;
        if (finished || !known) {
            b.append(String.format(Locale.ROOT, " - %.0fs", elapsed)).append(' ').append(perStepText(perStep));
        } else {
            b.append(" - ETA: ").append(eta(perStep * (target - current)));
        }
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            b.append(" - ").append(e.getKey()).append(": ").append(value(e.getValue()));
        }
        return b.toString();
    }

    private static String perStepText(double seconds) {
        if (seconds >= 1 || seconds == 0) {
            return String.format(Locale.ROOT, "%.0fs/step", seconds);
        }
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.0fms/step", seconds * 1e3);
        }
        return String.format(Locale.ROOT, "%.0fus/step", seconds * 1e6);
    }

    private static String eta(double seconds) {
        long s = (long) seconds;
        if (s > 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        if (s > 60) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return s + "s";
    }

    /** Keras prints 4 decimals, or 4 significant digits in scientific notation for tiny values. */
    static String value(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        return String.format(Locale.ROOT, Math.abs(v) > 1e-3 || Double.isInfinite(v) ? "%.4f" : "%.4e", v);
    }
}
