package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;

/** Softmax and log-softmax over the last axis, shifted by the row maximum for stability, summed in double. */
public final class Softmax {
    private Softmax() {
    }

    /** y = softmax(x) or log-softmax(x) over the last axis. */
    public static void softmax(Operand x, boolean log, Operand y) {
        String op = log ? "logSoftmax" : "softmax";
        if (!x.shape().equals(y.shape()) || x.dtype() != y.dtype()) {
            throw new IllegalArgumentException(op + ": output must match input — got " + x.shape() + " " + x.dtype()
                    + " and " + y.shape() + " " + y.dtype());
        }
        DType t = x.dtype();
        Mem.requireFloat(op, t);
        int size = t.byteSize();
        long len = x.rank() == 0 ? 1 : x.shape().dim(x.rank() - 1);
        if (len == 0 || x.numel() == 0) {
            return;
        }
        long rows = x.numel() / len;
        try (Dense dx = Dense.in(op, x); Dense dy = Dense.out(op, y)) {
            Parallel.forRange(rows, Math.max(1, Parallel.GRAIN / len), (r0, r1) -> {
                for (long r = r0; r < r1; r++) {
                    long in = dx.address() + r * len * size;
                    long out = dy.address() + r * len * size;
                    if (t == DType.FLOAT32) {
                        rowF32(len, in, out, log);
                    } else {
                        rowF64(len, in, out, log);
                    }
                }
            });
        }
    }

    private static void rowF32(long len, long in, long out, boolean log) {
        float max = Float.NEGATIVE_INFINITY;
        for (long i = 0; i < len; i++) {
            max = Math.max(max, U.getFloat(in + 4 * i));
        }
        double sum = 0;
        if (log) {
            for (long i = 0; i < len; i++) {
                sum += Math.exp(U.getFloat(in + 4 * i) - (double) max);
            }
            double shift = max + Math.log(sum);
            for (long i = 0; i < len; i++) {
                U.putFloat(out + 4 * i, (float) (U.getFloat(in + 4 * i) - shift));
            }
        } else {
            // NOTE: the exponentials are parked in the output so each is computed once; a float
            // keeps them to 2^-24 relative, well inside float32 softmax accuracy.
            for (long i = 0; i < len; i++) {
                float e = (float) Math.exp(U.getFloat(in + 4 * i) - (double) max);
                U.putFloat(out + 4 * i, e);
                sum += e;
            }
            double inv = 1.0 / sum;
            for (long i = 0; i < len; i++) {
                U.putFloat(out + 4 * i, (float) (U.getFloat(out + 4 * i) * inv));
            }
        }
    }

    private static void rowF64(long len, long in, long out, boolean log) {
        double max = Double.NEGATIVE_INFINITY;
        for (long i = 0; i < len; i++) {
            max = Math.max(max, U.getDouble(in + 8 * i));
        }
        double sum = 0;
        if (log) {
            for (long i = 0; i < len; i++) {
                sum += Math.exp(U.getDouble(in + 8 * i) - max);
            }
            double logSum = Math.log(sum);
            for (long i = 0; i < len; i++) {
                U.putDouble(out + 8 * i, U.getDouble(in + 8 * i) - max - logSum);
            }
        } else {
            for (long i = 0; i < len; i++) {
                double e = Math.exp(U.getDouble(in + 8 * i) - max);
                U.putDouble(out + 8 * i, e);
                sum += e;
            }
            for (long i = 0; i < len; i++) {
                U.putDouble(out + 8 * i, U.getDouble(out + 8 * i) / sum);
            }
        }
    }
}
