package dev.tessera.data;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Functions that turn a list of elements (one batch) into one value, for
 * {@link Dataset#batch(int, boolean, Function)}: stacked tensors, zero-padded sequences, label
 * vectors, and pairs of those.
 */
public final class Collate {
    private Collate() {
    }

    /** Stacks equal-shaped tensors along a new leading batch axis. */
    public static Function<List<Tensor>, Tensor> stack() {
        return batch -> {
            checkNotEmpty(batch, "stack");
            for (int i = 1; i < batch.size(); i++) {
                if (!batch.get(i).shape().equals(batch.get(0).shape())) {
                    throw new IllegalArgumentException("batch: element " + i + " has shape " + batch.get(i).shape()
                            + ", element 0 has " + batch.get(0).shape() + " (use a padded collate for ragged data)");
                }
            }
            return Tensor.stack(0, batch.toArray(new Tensor[0]));
        };
    }

    /**
     * Pads sequences to the longest in the batch with 0 at the end and stacks them into a
     * (batch, longest) tensor: int[] → INT32, long[] → INT64, float[] → FLOAT32, and 1-D
     * tensors keep their dtype.
     */
    public static Function<List<?>, Tensor> padded() {
        return batch -> {
            checkNotEmpty(batch, "paddedBatch");
            Object first = batch.get(0) instanceof Tensor t ? kindOf(t) : batch.get(0);
            if (!(first instanceof int[] || first instanceof long[] || first instanceof float[])) {
                throw new IllegalArgumentException("paddedBatch: elements must be int[], long[], float[] or 1-D tensors — got "
                        + (first == null ? "null" : first.getClass().getSimpleName()));
            }
            List<Object> rows = new ArrayList<>(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Object row = batch.get(i) instanceof Tensor t ? toArray(t, i) : batch.get(i);
                if (row == null || row.getClass() != first.getClass()) {
                    throw new IllegalArgumentException("paddedBatch: element " + i + " is "
                            + (row == null ? "null" : row.getClass().getSimpleName()) + ", expected "
                            + first.getClass().getSimpleName() + " like element 0 (int[], long[], float[] or a 1-D tensor)");
                }
                rows.add(row);
            }
            return pad(rows);
        };
    }

    /** Integer labels into a (batch) INT64 tensor. */
    public static Function<List<? extends Number>, Tensor> labels() {
        return batch -> {
            checkNotEmpty(batch, "labels");
            long[] v = new long[batch.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = batch.get(i).longValue();
            }
            return Tensor.of(v, v.length);
        };
    }

    /** Collates the first and second components of pairs separately. */
    public static <A, B, RA, RB> Function<List<Pair<A, B>>, Pair<RA, RB>> pair(
            Function<? super List<A>, ? extends RA> first, Function<? super List<B>, ? extends RB> second) {
        return batch -> {
            List<A> a = new ArrayList<>(batch.size());
            List<B> b = new ArrayList<>(batch.size());
            for (Pair<A, B> p : batch) {
                a.add(p.first());
                b.add(p.second());
            }
            return Pair.of(first.apply(a), second.apply(b));
        };
    }

    /** Rows of equal array type padded with 0 into one row-major array of batch × longest. */
    static Tensor pad(List<Object> rows) {
        int width = 0;
        for (Object r : rows) {
            width = Math.max(width, Array.getLength(r));
        }
        int n = rows.size();
        Object out = Array.newInstance(rows.get(0).getClass().getComponentType(), Math.multiplyExact(n, width));
        for (int i = 0; i < n; i++) {
            Object r = rows.get(i);
            System.arraycopy(r, 0, out, i * width, Array.getLength(r));
        }
        if (out instanceof int[] a) {
            return Tensor.of(a, n, width);
        }
        if (out instanceof long[] a) {
            return Tensor.of(a, n, width);
        }
        return Tensor.of((float[]) out, n, width);
    }

    private static Object kindOf(Tensor t) {
        return switch (t.dtype()) {
            case INT32 -> new int[0];
            case INT64 -> new long[0];
            case FLOAT32 -> new float[0];
            case FLOAT64 -> throw new IllegalArgumentException("paddedBatch: FLOAT64 sequences are not supported — got "
                    + t.shape() + " " + DType.FLOAT64);
        };
    }

    private static Object toArray(Tensor t, int index) {
        if (t.shape().rank() != 1) {
            throw new IllegalArgumentException("paddedBatch: element " + index + " must be a 1-D sequence — got shape "
                    + t.shape());
        }
        return switch (t.dtype()) {
            case INT32 -> t.toIntArray();
            case INT64 -> t.toLongArray();
            case FLOAT32 -> t.toFloatArray();
            case FLOAT64 -> t.toDoubleArray();
        };
    }

    private static void checkNotEmpty(List<?> batch, String op) {
        if (batch == null || batch.isEmpty()) {
            throw new IllegalArgumentException(op + ": batch must not be empty");
        }
    }
}
