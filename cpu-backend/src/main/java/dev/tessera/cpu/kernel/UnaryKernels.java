package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.backend.UnaryOp;

/**
 * Element-wise unary ops: hand-written loops for the common float ops, the enum's float64
 * reference for the rest and for integers. Float32 maths runs in double and is rounded once, as
 * the reference does. The common float32 ops (neg, abs, sqrt, square, reciprocal, scale, shift,
 * relu, and exp, sigmoid and tanh through {@link Exp32}'s algorithm) go to the vectorised native
 * loops ({@link NativeKernels}), tested bit for bit against these.
 */
public final class UnaryKernels {
    private UnaryKernels() {
    }

    /** out = op(x, alpha); out may be x itself. */
    public static void unary(UnaryOp op, Operand x, Operand out, double alpha) {
        if (x.dtype() != out.dtype()) {
            throw new IllegalArgumentException(op.kernel() + ": input and output dtypes differ — got " + x.dtype()
                    + " and " + out.dtype());
        }
        if (!x.shape().equals(out.shape())) {
            throw new IllegalArgumentException(op.kernel() + ": shapes differ — got " + x.shape() + " and " + out.shape());
        }
        DType t = x.dtype();
        Strided it = Strided.of(op.kernel(), out, x);
        int code = nativeCode(op);
        if (t == DType.FLOAT32 && code >= 0 && NativeKernels.available()) {
            long so0 = it.outerStride(0) / 4;
            long sx0 = it.outerStride(1) / 4;
            long so1 = it.innerStride(0) / 4;
            long sx1 = it.innerStride(1) / 4;
            it.forEachTile((rows, n, addr) -> {
                if (NativeKernels.unary(code, alpha, rows, n, addr[1], sx0, sx1, addr[0], so0, so1) != 0) {
                    throw new IllegalStateException(op.kernel() + ": the native kernels have no op code " + code);
                }
            });
            return;
        }
        long so = it.innerStride(0);
        long sx = it.innerStride(1);
        it.forEachRow((pos, n, addr) -> {
            switch (t) {
                case FLOAT32 -> f32(op, alpha, n, addr[1], sx, addr[0], so);
                case FLOAT64 -> f64(op, alpha, n, addr[1], sx, addr[0], so);
                default -> {
                    long px = addr[1];
                    long po = addr[0];
                    for (long i = 0; i < n; i++, px += sx, po += so) {
                        Mem.write(t, po, op.apply(Mem.read(t, px), alpha));
                    }
                }
            }
        });
    }

    /** The op code of tessera_cpu.h for a unary op, or -1 when it has no native loop. */
    private static int nativeCode(UnaryOp op) {
        return switch (op) {
            case NEG -> 0;
            case ABS -> 1;
            case SQRT -> 2;
            case SQUARE -> 3;
            case RECIPROCAL -> 4;
            case SCALE -> 5;
            case SHIFT -> 6;
            case RELU -> 7;
            case EXP -> 8;
            case SIGMOID -> 9;
            case TANH -> 10;
            default -> -1;
        };
    }

    private static void f32(UnaryOp op, double alpha, long n, long x, long sx, long o, long so) {
        switch (op) {
            case NEG -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, -U.getFloat(x));
                }
            }
            case ABS -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, Math.abs(U.getFloat(x)));
                }
            }
            case EXP -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) Exp32.exp(U.getFloat(x)));
                }
            }
            case LOG -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) Math.log(U.getFloat(x)));
                }
            }
            case SQRT -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) Math.sqrt(U.getFloat(x)));
                }
            }
            case SQUARE -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    float v = U.getFloat(x);
                    U.putFloat(o, v * v);
                }
            }
            case RECIPROCAL -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, 1f / U.getFloat(x));
                }
            }
            case SCALE -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) (alpha * U.getFloat(x)));
                }
            }
            case SHIFT -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) (U.getFloat(x) + alpha));
                }
            }
            case RELU -> {
                // NOTE: clearing every value whose sign bit is set avoids a branch that random
                // signs mispredict half the time (measured 15x slower); it keeps a positive NaN.
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    int b = U.getInt(x);
                    U.putInt(o, b & ~(b >> 31));
                }
            }
            case LEAKY_RELU -> {
                // branch-free for the same reason as RELU; exact for the slopes in [0, 1) it takes
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    float v = U.getFloat(x);
                    U.putFloat(o, Math.max(v, 0f) + (float) (alpha * Math.min(v, 0f)));
                }
            }
            case SIGMOID -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) (1.0 / (1.0 + Exp32.exp(-U.getFloat(x)))));
                }
            }
            case TANH -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) Exp32.tanh(U.getFloat(x)));
                }
            }
            default -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putFloat(o, (float) op.apply(U.getFloat(x), alpha));
                }
            }
        }
    }

    private static void f64(UnaryOp op, double alpha, long n, long x, long sx, long o, long so) {
        switch (op) {
            case NEG -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putDouble(o, -U.getDouble(x));
                }
            }
            case EXP -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putDouble(o, Math.exp(U.getDouble(x)));
                }
            }
            case SQUARE -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    double v = U.getDouble(x);
                    U.putDouble(o, v * v);
                }
            }
            case SCALE -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putDouble(o, alpha * U.getDouble(x));
                }
            }
            case SHIFT -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putDouble(o, U.getDouble(x) + alpha);
                }
            }
            case RELU -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    long b = U.getLong(x);
                    U.putLong(o, b & ~(b >> 63));
                }
            }
            default -> {
                for (long i = 0; i < n; i++, x += sx, o += so) {
                    U.putDouble(o, op.apply(U.getDouble(x), alpha));
                }
            }
        }
    }
}
