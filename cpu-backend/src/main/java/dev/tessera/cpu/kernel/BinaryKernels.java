package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Operand;

/**
 * Element-wise binary ops over operands already broadcast to the output shape. Broadcast operands
 * keep stride 0, so a scalar or a bias row is read in place, never expanded; rows that collapse to
 * one long run make contiguous inputs a single loop. Float32 arithmetic and comparisons go to the
 * vectorised native loops ({@link NativeKernels}) in tiles of rows; the Java loops below are the
 * fallback and the definition they are tested against.
 */
public final class BinaryKernels {
    private BinaryKernels() {
    }

    /** out = op(a, b); out may be a or b itself. */
    public static void binary(BinaryOp op, Operand a, Operand b, Operand out) {
        String name = op.kernel();
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(name + ": operand dtypes differ — got " + a.dtype() + " and " + b.dtype());
        }
        if (!a.shape().equals(out.shape()) || !b.shape().equals(out.shape())) {
            throw new IllegalArgumentException(name + ": operands must have the output shape — got " + a.shape() + ", "
                    + b.shape() + " for " + out.shape());
        }
        DType t = a.dtype();
        DType to = out.dtype();
        Strided it = Strided.of(name, out, a, b);
        int code = nativeCode(op);
        if (t == DType.FLOAT32 && to == t && code >= 0 && NativeKernels.available()) {
            long so0 = it.outerStride(0) / 4;
            long sa0 = it.outerStride(1) / 4;
            long sb0 = it.outerStride(2) / 4;
            long so1 = it.innerStride(0) / 4;
            long sa1 = it.innerStride(1) / 4;
            long sb1 = it.innerStride(2) / 4;
            it.forEachTile((rows, n, addr) -> {
                if (NativeKernels.binary(code, rows, n, addr[1], sa0, sa1, addr[2], sb0, sb1, addr[0], so0, so1) != 0) {
                    throw new IllegalStateException(name + ": the native kernels have no op code " + code);
                }
            });
            return;
        }
        long so = it.innerStride(0);
        long sa = it.innerStride(1);
        long sb = it.innerStride(2);
        it.forEachRow((pos, n, addr) -> {
            if (t == DType.FLOAT32 && to == t) {
                f32(op, n, addr[1], sa, addr[2], sb, addr[0], so);
            } else if (t == DType.FLOAT64 && to == t) {
                f64(op, n, addr[1], sa, addr[2], sb, addr[0], so);
            } else {
                long pa = addr[1];
                long pb = addr[2];
                long po = addr[0];
                for (long i = 0; i < n; i++, pa += sa, pb += sb, po += so) {
                    Mem.write(to, po, op.apply(Mem.read(t, pa), Mem.read(t, pb)));
                }
            }
        });
    }

    /** The op code of tessera_cpu.h for a binary op, or -1 when it has no native loop. */
    private static int nativeCode(BinaryOp op) {
        return switch (op) {
            case ADD -> 0;
            case SUB -> 1;
            case MUL -> 2;
            case DIV -> 3;
            case MAXIMUM -> 4;
            case MINIMUM -> 5;
            case EQ -> 6;
            case NE -> 7;
            case LT -> 8;
            case LE -> 9;
            case GT -> 10;
            case GE -> 11;
            default -> -1;
        };
    }

    private static void f32(BinaryOp op, long n, long a, long sa, long b, long sb, long o, long so) {
        if (sb == 0 && scalarF32(op, n, a, sa, U.getFloat(b), o, so)) {
            return;
        }
        switch (op) {
            case ADD -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) + U.getFloat(b));
                }
            }
            case SUB -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) - U.getFloat(b));
                }
            }
            case MUL -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) * U.getFloat(b));
                }
            }
            case DIV -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) / U.getFloat(b));
                }
            }
            case MAXIMUM -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, Math.max(U.getFloat(a), U.getFloat(b)));
                }
            }
            case MINIMUM -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, Math.min(U.getFloat(a), U.getFloat(b)));
                }
            }
            case GT -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) > U.getFloat(b) ? 1f : 0f);
                }
            }
            case GE -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) >= U.getFloat(b) ? 1f : 0f);
                }
            }
            case LT -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) < U.getFloat(b) ? 1f : 0f);
                }
            }
            case LE -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, U.getFloat(a) <= U.getFloat(b) ? 1f : 0f);
                }
            }
            default -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putFloat(o, (float) op.apply(U.getFloat(a), U.getFloat(b)));
                }
            }
        }
    }

    /**
     * a op scalar with the scalar held in a register: the general loop must reload it every element,
     * since the output may alias it. Returns false for ops without a scalar loop.
     */
    private static boolean scalarF32(BinaryOp op, long n, long a, long sa, float b, long o, long so) {
        switch (op) {
            case ADD -> {
                for (long i = 0; i < n; i++, a += sa, o += so) {
                    U.putFloat(o, U.getFloat(a) + b);
                }
            }
            case SUB -> {
                for (long i = 0; i < n; i++, a += sa, o += so) {
                    U.putFloat(o, U.getFloat(a) - b);
                }
            }
            case MUL -> {
                for (long i = 0; i < n; i++, a += sa, o += so) {
                    U.putFloat(o, U.getFloat(a) * b);
                }
            }
            case DIV -> {
                for (long i = 0; i < n; i++, a += sa, o += so) {
                    U.putFloat(o, U.getFloat(a) / b);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void f64(BinaryOp op, long n, long a, long sa, long b, long sb, long o, long so) {
        switch (op) {
            case ADD -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putDouble(o, U.getDouble(a) + U.getDouble(b));
                }
            }
            case SUB -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putDouble(o, U.getDouble(a) - U.getDouble(b));
                }
            }
            case MUL -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putDouble(o, U.getDouble(a) * U.getDouble(b));
                }
            }
            case DIV -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putDouble(o, U.getDouble(a) / U.getDouble(b));
                }
            }
            default -> {
                for (long i = 0; i < n; i++, a += sa, b += sb, o += so) {
                    U.putDouble(o, op.apply(U.getDouble(a), U.getDouble(b)));
                }
            }
        }
    }
}
