package dev.tessera.testing;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Operand;
import dev.tessera.backend.Storage;
import java.util.SplittableRandom;

/**
 * A backend-independent operand for conformance tests: the whole storage's values, its dtype and
 * the layout a kernel reads it through. {@link #upload} makes the same operand on any backend.
 */
public record HostOperand(DType dtype, double[] values, Layout layout) {

    /** How a test operand's layout is built around its shape. */
    public enum Variant {
        /** Row-major from offset 0. */
        CONTIGUOUS,
        /** Every axis reversed in memory (the view of a full transpose). */
        TRANSPOSED,
        /** The last two axes swapped in memory (a matrix transpose). */
        MATRIX_TRANSPOSED,
        /** Axis 0 repeated with stride 0 over a storage holding one slice. */
        BROADCAST,
        /** A window starting at index 1 of every axis of a storage larger by 2 on each axis. */
        SLICED
    }

    /** Random values of {@code domain} viewed through {@code variant}; every storage slot is filled. */
    public static HostOperand random(DType dtype, Shape shape, Variant variant, Domain domain, SplittableRandom rnd) {
        int r = shape.rank();
        long[] dims = shape.toArray();
        Layout layout;
        long size;
        switch (r == 0 ? Variant.CONTIGUOUS : variant) {
            case TRANSPOSED -> {
                int[] perm = new int[r];
                for (int i = 0; i < r; i++) {
                    perm[i] = r - 1 - i;
                }
                layout = permuted(shape, perm);
                size = shape.numel();
            }
            case MATRIX_TRANSPOSED -> {
                int[] perm = new int[r];
                for (int i = 0; i < r; i++) {
                    perm[i] = i;
                }
                if (r >= 2) {
                    perm[r - 2] = r - 1;
                    perm[r - 1] = r - 2;
                }
                layout = permuted(shape, perm);
                size = shape.numel();
            }
            case BROADCAST -> {
                long[] stored = dims.clone();
                stored[0] = 1;
                long[] strides = Shape.of(stored).contiguousStrides();
                strides[0] = 0;
                layout = new Layout(shape, strides, 0);
                size = Shape.of(stored).numel();
            }
            case SLICED -> {
                long[] padded = dims.clone();
                for (int i = 0; i < r; i++) {
                    padded[i] += 2;
                }
                long[] strides = Shape.of(padded).contiguousStrides();
                long offset = 0;
                for (long s : strides) {
                    offset += s;
                }
                layout = new Layout(shape, strides, offset);
                size = Shape.of(padded).numel();
            }
            default -> {
                layout = Layout.contiguous(shape);
                size = shape.numel();
            }
        }
        return new HostOperand(dtype, domain.sample(rnd, Math.toIntExact(size)), layout);
    }

    /** A contiguous output of {@code shape} that starts at offset 2 of a storage prefilled with random values. */
    public static HostOperand output(DType dtype, Shape shape, SplittableRandom rnd) {
        long[] strides = shape.contiguousStrides();
        return new HostOperand(dtype, Domain.ANY.sample(rnd, Math.toIntExact(shape.numel() + 2)), new Layout(shape, strides, 2));
    }

    /** The given values as a contiguous operand of {@code shape}. */
    public static HostOperand of(DType dtype, Shape shape, double[] values) {
        return new HostOperand(dtype, values.clone(), Layout.contiguous(shape));
    }

    /** The view of a storage of the permuted shape, so that memory order differs from logical order. */
    private static Layout permuted(Shape shape, int[] perm) {
        int r = shape.rank();
        long[] storedDims = new long[r];
        for (int i = 0; i < r; i++) {
            storedDims[i] = shape.dim(perm[i]);
        }
        long[] storedStrides = Shape.of(storedDims).contiguousStrides();
        long[] strides = new long[r];
        for (int i = 0; i < r; i++) {
            strides[perm[i]] = storedStrides[i];
        }
        return new Layout(shape, strides, 0);
    }

    public Shape shape() {
        return layout.shape();
    }

    /** Allocates the storage on {@code backend}, copies the values in and returns the operand. */
    public Operand upload(Backend backend) {
        Storage s = backend.allocate(dtype, values.length);
        backend.copyFromHost(hostArray(dtype, values), s);
        return new Operand(s, layout);
    }

    /** The values of this operand's elements in row-major order of its shape. */
    public double[] elements() {
        return elements(values, layout);
    }

    /** Row-major elements of {@code layout} read from flat storage values. */
    public static double[] elements(double[] storage, Layout layout) {
        double[] out = new double[Math.toIntExact(layout.numel())];
        for (int i = 0; i < out.length; i++) {
            out[i] = storage[Math.toIntExact(NaiveBackend.at(layout, i))];
        }
        return out;
    }

    /** Java array of the dtype's element type holding {@code v} (floats to ints truncate toward zero). */
    public static Object hostArray(DType dtype, double[] v) {
        int n = v.length;
        switch (dtype) {
            case FLOAT32 -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (float) v[i];
                }
                return a;
            }
            case INT32 -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) v[i];
                }
                return a;
            }
            case INT64 -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (long) v[i];
                }
                return a;
            }
            default -> {
                return v.clone();
            }
        }
    }

    /** The whole storage read back from {@code backend} as doubles. */
    public static double[] download(Backend backend, Storage s) {
        int n = Math.toIntExact(s.numel());
        double[] out = new double[n];
        switch (s.dtype()) {
            case FLOAT32 -> {
                float[] a = new float[n];
                backend.copyToHost(s, a);
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
            case FLOAT64 -> backend.copyToHost(s, out);
            case INT32 -> {
                int[] a = new int[n];
                backend.copyToHost(s, a);
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
            case INT64 -> {
                long[] a = new long[n];
                backend.copyToHost(s, a);
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
        }
        return out;
    }
}
