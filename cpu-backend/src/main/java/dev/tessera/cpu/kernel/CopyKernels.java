package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;

/** Strided copies with dtype casts, fills and where. */
public final class CopyKernels {
    private CopyKernels() {
    }

    /** dst = src, converting between any two dtypes (floats cast to ints truncate toward zero). */
    public static void copy(Operand src, Operand dst) {
        if (!src.shape().equals(dst.shape())) {
            throw new IllegalArgumentException("copy: shapes differ — got " + src.shape() + " and " + dst.shape());
        }
        DType from = src.dtype();
        DType to = dst.dtype();
        Strided it = Strided.of("copy", dst, src);
        long sd = it.innerStride(0);
        long ss = it.innerStride(1);
        it.forEachRow((pos, n, addr) -> copyRow(from, to, n, addr[1], ss, addr[0], sd));
    }

    private static void copyRow(DType from, DType to, long n, long s, long ss, long d, long sd) {
        int size = from.byteSize();
        if (from == to) {
            if (ss == size && sd == size) {
                U.copyMemory(s, d, n * size);
            } else if (size == 4) {
                for (long i = 0; i < n; i++, s += ss, d += sd) {
                    U.putInt(d, U.getInt(s));
                }
            } else {
                for (long i = 0; i < n; i++, s += ss, d += sd) {
                    U.putLong(d, U.getLong(s));
                }
            }
        } else if (from == DType.FLOAT32 && to == DType.FLOAT64) {
            for (long i = 0; i < n; i++, s += ss, d += sd) {
                U.putDouble(d, U.getFloat(s));
            }
        } else if (from == DType.FLOAT64 && to == DType.FLOAT32) {
            for (long i = 0; i < n; i++, s += ss, d += sd) {
                U.putFloat(d, (float) U.getDouble(s));
            }
        } else if (from == DType.INT64 && to == DType.INT32) {
            for (long i = 0; i < n; i++, s += ss, d += sd) {
                U.putInt(d, (int) U.getLong(s));
            }
        } else {
            for (long i = 0; i < n; i++, s += ss, d += sd) {
                Mem.write(to, d, Mem.read(from, s));
            }
        }
    }

    /** Every element of dst (any layout) = value, rounded to dst's dtype. */
    public static void fill(Operand dst, double value) {
        DType t = dst.dtype();
        Strided it = Strided.of("fill", dst);
        long sd = it.innerStride(0);
        long bits = switch (t) {
            case FLOAT32 -> Float.floatToRawIntBits((float) value);
            case FLOAT64 -> Double.doubleToRawLongBits(value);
            case INT32 -> (int) value;
            case INT64 -> (long) value;
        };
        int size = t.byteSize();
        it.forEachRow((pos, n, addr) -> {
            long d = addr[0];
            if (bits == 0 && sd == size) {
                U.setMemory(d, n * size, (byte) 0);
            } else if (size == 4) {
                int b = (int) bits;
                for (long i = 0; i < n; i++, d += sd) {
                    U.putInt(d, b);
                }
            } else {
                for (long i = 0; i < n; i++, d += sd) {
                    U.putLong(d, bits);
                }
            }
        });
    }

    /** out = cond != 0 ? a : b (cond of any dtype; NaN counts as true). */
    public static void where(Operand cond, Operand a, Operand b, Operand out) {
        if (a.dtype() != out.dtype() || b.dtype() != out.dtype()) {
            throw new IllegalArgumentException("where: a, b and out must share a dtype — got " + a.dtype() + ", "
                    + b.dtype() + " and " + out.dtype());
        }
        DType ct = cond.dtype();
        int size = out.dtype().byteSize();
        Strided it = Strided.of("where", out, cond, a, b);
        long so = it.innerStride(0);
        long sc = it.innerStride(1);
        long sa = it.innerStride(2);
        long sb = it.innerStride(3);
        it.forEachRow((pos, n, addr) -> {
            long o = addr[0];
            long c = addr[1];
            long pa = addr[2];
            long pb = addr[3];
            for (long i = 0; i < n; i++, o += so, c += sc, pa += sa, pb += sb) {
                long src = Mem.read(ct, c) != 0 ? pa : pb;
                if (size == 4) {
                    U.putInt(o, U.getInt(src));
                } else {
                    U.putLong(o, U.getLong(src));
                }
            }
        });
    }
}
