package dev.tessera;

import java.util.Locale;

/** NumPy-like text for tensors: nested brackets, aligned columns, "..." beyond three edge items when large. */
final class TensorFormat {
    private static final long SUMMARY_THRESHOLD = 1000;
    private static final int EDGE_ITEMS = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        String dt = t.dtype().name().toLowerCase(Locale.ROOT);
        String prefix = "tensor(";
        StringBuilder sb = new StringBuilder(prefix);
        Shape s = t.shape();
        boolean summarise = s.numel() > SUMMARY_THRESHOLD;
        double[] values = t.toDoubleArray();
        int width = 0;
        for (double v : values) {
            width = Math.max(width, cell(v, t.dtype()).length());
        }
        long[] strides = s.contiguousStrides();
        append(sb, values, s, strides, 0, 0, summarise, width, t.dtype(), prefix.length());
        sb.append(", shape=").append(s).append(", dtype=").append(dt);
        if (!t.device().equals(Device.cpu())) {
            sb.append(", device=").append(t.device());
        }
        return sb.append(')').toString();
    }

    private static void append(StringBuilder sb, double[] v, Shape s, long[] strides, int axis, long base,
                               boolean summarise, int width, DType dtype, int indent) {
        if (s.rank() == 0) {
            sb.append(cell(v[0], dtype));
            return;
        }
        long n = s.dim(axis);
        sb.append('[');
        for (long i = 0; i < n; i++) {
            if (summarise && n > 2 * EDGE_ITEMS && i == EDGE_ITEMS) {
                sb.append(axis == s.rank() - 1 ? "..., " : "...,\n" + " ".repeat(indent + axis + 1));
                i = n - EDGE_ITEMS - 1;
                continue;
            }
            long at = base + i * strides[axis];
            if (axis == s.rank() - 1) {
                String c = cell(v[(int) at], dtype);
                sb.append(" ".repeat(Math.max(0, width - c.length()))).append(c);
            } else {
                append(sb, v, s, strides, axis + 1, at, summarise, width, dtype, indent);
            }
            if (i < n - 1) {
                sb.append(',');
                if (axis == s.rank() - 1) {
                    sb.append(' ');
                } else {
                    sb.append("\n".repeat(s.rank() - 1 - axis)).append(" ".repeat(indent + axis + 1));
                }
            }
        }
        sb.append(']');
    }

    private static String cell(double v, DType dtype) {
        if (!dtype.isFloating()) {
            return Long.toString((long) v);
        }
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e8 || a < 1e-4)) {
            return String.format(Locale.ROOT, "%.4e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
