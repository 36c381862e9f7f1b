package dev.tessera.nn;

import dev.tessera.Shape;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders Keras 3's model summary: the three-column table (Layer (type), Output Shape, Param #)
 * with one row per direct child, then total, trainable and non-trainable counts with their sizes.
 */
final class Summary {
    private static final String[] HEADER = {"Layer (type)", "Output Shape", "Param #"};
    private static final double[] POSITIONS = {0.45, 0.80, 1.0};

    private Summary() {
    }

    /** The summary at Keras' default width: 88 columns, or the terminal width (COLUMNS, else 80) minus 4 when narrower. */
    static String render(Module model) {
        int columns = 80;
        String env = System.getenv("COLUMNS");
        if (env != null && env.matches("\\d{1,4}")) {
            columns = Integer.parseInt(env);
        }
        return render(model, Math.min(88, columns - 4));
    }

    static String render(Module model, int lineLength) {
        int[] widths = columnWidths(lineLength);
        StringBuilder out = new StringBuilder();
        out.append("Model: \"").append(model.name()).append("\"\n");
        out.append(edge('┏', '━', '┳', '┓', widths));
        appendRow(out, HEADER, widths, '┃');
        List<Module> children = new ArrayList<>(model.children().values());
        if (!children.isEmpty()) {
            out.append(edge('┡', '━', '╇', '┩', widths));
        }
        for (int i = 0; i < children.size(); i++) {
            Module m = children.get(i);
            String params = m.isBuilt() ? String.format(Locale.US, "%,d", count(m, null)) : "0 (unbuilt)";
            appendRow(out, new String[] {m.name() + " (" + m.typeName() + ")", shape(m.lastOutputShape()), params},
                    widths, '│');
            if (i < children.size() - 1) {
                out.append(edge('├', '─', '┼', '┤', widths));
            }
        }
        out.append(edge('└', '─', '┴', '┘', widths));
        long trainable = count(model, true);
        long frozen = count(model, false);
        out.append(total("Total params", trainable + frozen, bytes(model, null)));
        out.append(total("Trainable params", trainable, bytes(model, true)));
        out.append(total("Non-trainable params", frozen, bytes(model, false)));
        return out.toString();
    }

    /**
     * Cell widths (padding included) as the rich table Keras uses computes them: fixed columns at
     * 45% / 80% / 100% of the line, each plus two of padding, then cut evenly to fit the line less
     * the four borders.
     */
    static int[] columnWidths(int lineLength) {
        int[] w = new int[POSITIONS.length];
        int current = 0;
        for (int i = 0; i < w.length; i++) {
            int width = (int) (POSITIONS[i] * lineLength) - current;
            if (width < 4) {
                throw new IllegalArgumentException("summary: line length too short for the table — got " + lineLength);
            }
            current += width;
            w[i] = width + 2;
        }
        int excess = current + 2 * w.length - (lineLength - (w.length + 1));
        int remainingRatio = w.length;
        for (int i = 0; i < w.length && excess > 0; i++) {
            // NOTE: Python's round() rounds halves to even; Math.rint does the same.
            int cut = (int) Math.min(w[i], Math.rint((double) excess / remainingRatio));
            w[i] -= cut;
            excess -= cut;
            remainingRatio--;
        }
        return w;
    }

    private static String edge(char left, char fill, char join, char right, int[] widths) {
        StringBuilder sb = new StringBuilder().append(left);
        for (int i = 0; i < widths.length; i++) {
            sb.append(String.valueOf(fill).repeat(widths[i])).append(i < widths.length - 1 ? join : right);
        }
        return sb.append('\n').toString();
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths, char border) {
        List<List<String>> wrapped = new ArrayList<>();
        int lines = 1;
        for (int i = 0; i < cells.length; i++) {
            List<String> w = wrap(cells[i], widths[i] - 2);
            wrapped.add(w);
            lines = Math.max(lines, w.size());
        }
        for (int line = 0; line < lines; line++) {
            out.append(border);
            for (int i = 0; i < cells.length; i++) {
                String text = line < wrapped.get(i).size() ? wrapped.get(i).get(line) : "";
                String pad = " ".repeat(widths[i] - 2 - text.length());
                // The parameter column is right-aligned, the others left-aligned.
                out.append(' ').append(i == 2 ? pad + text : text + pad).append(' ').append(border);
            }
            out.append('\n');
        }
    }

    /** Greedy word wrap; a word longer than the width is cut into pieces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (line.length() > 0) {
                    lines.add(line.toString());
                    line.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > 0 || lines.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** "(None, 112, 112, 128)": the batch dimension is shown as None; "?" when the shape is unknown. */
    static String shape(Shape s) {
        if (s == null) {
            return "?";
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < s.rank(); i++) {
            sb.append(i > 0 ? ", " : "").append(i == 0 ? "None" : Long.toString(s.dim(i)));
        }
        return sb.append(')').toString();
    }

    /** Number of parameter elements; {@code trainable} null counts all. */
    static long count(Module m, Boolean trainable) {
        long n = 0;
        for (Parameter p : m.namedParameters().values()) {
            if (trainable == null || p.isTrainable() == trainable) {
                n += p.value().numel();
            }
        }
        return n;
    }

    private static long bytes(Module m, Boolean trainable) {
        long n = 0;
        for (Parameter p : m.namedParameters().values()) {
            if (trainable == null || p.isTrainable() == trainable) {
                n += p.value().numel() * p.value().dtype().byteSize();
            }
        }
        return n;
    }

    private static String total(String label, long count, long bytes) {
        return " " + label + ": " + String.format(Locale.US, "%,d", count) + " (" + readableSize(bytes) + ")\n";
    }

    /** Keras' readable_memory_size: divide by 1024 while the value reaches the next unit; two decimals. */
    static String readableSize(double size) {
        String[] units = {"B", "KB", "MB", "GB", "TB", "PB"};
        for (String unit : units) {
            if (size / 1024 < 1) {
                return twoDecimals(size) + " " + unit;
            }
            size /= 1024;
        }
        return twoDecimals(size) + " PB";
    }

    // NOTE: Python's "{:.2f}" rounds the exact binary value half-to-even; String.format rounds half-up.
    private static String twoDecimals(double v) {
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
}
