package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Operand;
import dev.tessera.backend.Storage;
import java.util.Random;

/** Test helpers: operands built from Java arrays, read back in row-major order, and compared. */
public final class Host {
    public static final CpuBackend CPU = CpuBackend.instance();

    private Host() {
    }

    /** Seeded values in [-1, 1). */
    public static double[] random(long seed, int n) {
        Random r = new Random(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = r.nextDouble() * 2 - 1;
        }
        return d;
    }

    /** A contiguous operand of the given dtype holding data (rounded to the dtype). */
    public static Operand operand(DType t, double[] data, long... dims) {
        Storage s = CPU.allocate(t, data.length);
        Operand o = Operand.contiguous(s, Shape.of(dims));
        assertEquals(o.numel(), data.length, "data length");
        switch (t) {
            case FLOAT32 -> {
                float[] f = new float[data.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) data[i];
                }
                CPU.copyFromHost(f, s);
            }
            case FLOAT64 -> CPU.copyFromHost(data.clone(), s);
            case INT32 -> {
                int[] v = new int[data.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) data[i];
                }
                CPU.copyFromHost(v, s);
            }
            case INT64 -> {
                long[] v = new long[data.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (long) data[i];
                }
                CPU.copyFromHost(v, s);
            }
        }
        return o;
    }

    /** An uninitialised contiguous operand. */
    public static Operand empty(DType t, long... dims) {
        Shape shape = Shape.of(dims);
        return Operand.contiguous(CPU.allocate(t, shape.numel()), shape);
    }

    /** The same storage read through another layout. */
    public static Operand view(Operand o, long offset, long[] dims, long... strides) {
        return new Operand(o.storage(), new Layout(Shape.of(dims), strides, offset));
    }

    /** The operand's elements in row-major order of its layout, as doubles. */
    public static double[] read(Operand o) {
        Operand c = empty(DType.FLOAT64, o.shape().toArray());
        CPU.copy(o, c);
        double[] d = new double[(int) c.numel()];
        CPU.copyToHost(c.storage(), d);
        c.storage().release();
        return d;
    }

    /** Element-wise closeness with a report of the first bad index. */
    public static void assertClose(double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, "length");
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            if (!(err <= tol * (1 + Math.abs(expected[i])))) {
                throw new AssertionError("index " + i + ": expected " + expected[i] + " but got " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }

    /** Tolerance used to compare a dtype's result with a float64 loop. */
    public static double tol(DType t) {
        return t == DType.FLOAT32 ? 2e-5 : 1e-12;
    }

    /** The values as the dtype stores them. */
    public static double[] rounded(double[] d, DType t) {
        double[] r = d.clone();
        if (t == DType.FLOAT32) {
            for (int i = 0; i < r.length; i++) {
                r[i] = (float) r[i];
            }
        }
        return r;
    }
}
