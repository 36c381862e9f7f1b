package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomBits;
import dev.tessera.backend.RandomOp;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import java.util.function.DoubleSupplier;

/** Tensors made from constants, ranges, Java arrays and seeded random streams. */
public final class Creation {
    /** Values drawn on the host per copy into the tensor by {@link #fromDoubleStream}. */
    public static final int HOST_CHUNK = 1 << 15;

    private Creation() {
    }

    public static Tensor full(Shape shape, double value, DType dtype, Device device) {
        Tensor t = Tensor.empty(shape, dtype, device);
        t.backend().fill(t.operand(), value);
        return t;
    }

    /** Sets every element of an untracked tensor to {@code value}. */
    public static Tensor fillInPlace(Tensor t, double value) {
        Checks.writable("fill", t);
        t.backend().fill(t.operand(), value);
        return t;
    }

    public static Tensor arange(double start, double end, double step, DType dtype, Device device) {
        if (step == 0 || Double.isNaN(start) || Double.isNaN(end) || Double.isNaN(step)) {
            throw new IllegalArgumentException("arange: step must be non-zero and bounds finite — got start=" + start
                    + ", end=" + end + ", step=" + step);
        }
        double count = Math.ceil((end - start) / step);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("arange: " + count + " elements are more than one tensor built on the host holds — got start="
                    + start + ", end=" + end + ", step=" + step);
        }
        long n = Math.max(0, (long) count);
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = start + i * step;
        }
        return fromDoubles(v, Shape.of(n), dtype, device);
    }

    public static Tensor linspace(double start, double end, int steps, DType dtype, Device device) {
        if (steps < 0) {
            throw new IllegalArgumentException("linspace: steps must be >= 0 — got " + steps);
        }
        double[] v = new double[steps];
        for (int i = 0; i < steps; i++) {
            v[i] = steps == 1 ? start : start + (end - start) * i / (steps - 1);
        }
        return fromDoubles(v, Shape.of(steps), dtype, device);
    }

    /** Copies a float[], double[], int[] or long[] holding {@code dtype} values into a new tensor. */
    public static Tensor fromArray(Object data, DType dtype, Shape shape, Device device) {
        if (data == null) {
            throw new IllegalArgumentException("Tensor.of: data must not be null");
        }
        int length = java.lang.reflect.Array.getLength(data);
        if (length != shape.numel()) {
            throw new IllegalArgumentException("Tensor.of: " + length + " values do not fill shape " + shape
                    + " (" + shape.numel() + " elements)");
        }
        Tensor t = Tensor.empty(shape, dtype, device);
        t.backend().copyFromHost(data, t.storage());
        return t;
    }

    /**
     * A tensor of {@code dtype} filled with {@code next}'s values in row-major order (as
     * {@link #fromDoubles} would hold them), drawn on the host {@value #HOST_CHUNK} at a time and
     * copied in: a large tensor (a ResNet's 11.7 million weights) never needs a Java array of its
     * full size, which would otherwise stay in the Java heap as resident memory long after.
     */
    public static Tensor fromDoubleStream(Shape shape, DType dtype, Device device, DoubleSupplier next) {
        Tensor t = Tensor.empty(shape, dtype, device);
        long n = shape.numel();
        double[] chunk = new double[(int) Math.min(n, HOST_CHUNK)];
        for (long start = 0; start < n; start += chunk.length) {
            if (n - start < chunk.length) {
                chunk = new double[(int) (n - start)];
            }
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = next.getAsDouble();
            }
            double[] values = chunk;
            try (Tensor part = MemoryScope.unscoped(() -> fromDoubles(values, Shape.of(values.length), dtype, device))) {
                Operand dst = new Operand(t.storage(), new Layout(part.shape(), new long[] {1}, start));
                t.backend().copy(part.operand(), dst);
            }
        }
        return t;
    }

    /** A tensor of {@code dtype} from double values (rounded toward zero for integer types). */
    public static Tensor fromDoubles(double[] v, Shape shape, DType dtype, Device device) {
        Object arr = switch (dtype) {
            case FLOAT64 -> v;
            case FLOAT32 -> {
                float[] f = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    f[i] = (float) v[i];
                }
                yield f;
            }
            case INT32 -> {
                int[] a = new int[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = (int) v[i];
                }
                yield a;
            }
            case INT64 -> {
                long[] a = new long[v.length];
                for (int i = 0; i < v.length; i++) {
                    a[i] = (long) v[i];
                }
                yield a;
            }
        };
        return fromArray(arr, dtype, shape, device);
    }

    public static Tensor random(RandomOp op, Generator gen, Shape shape, double a, double b, DType dtype, Device device) {
        if (!dtype.isFloating()) {
            throw new IllegalArgumentException("random: " + op + " needs a floating-point dtype — got " + dtype);
        }
        if (gen == null) {
            throw new IllegalArgumentException("random: a seeded Generator is required");
        }
        Tensor t = Tensor.empty(shape, dtype, device);
        long counter = gen.advance(RandomBits.countersUsed(op, shape.numel()));
        t.backend().random(op, gen.seed(), counter, a, b, t.operand());
        return t;
    }
}
