package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.Operand;

/** Gather along an axis, index selection (embeddings), scatter-add and one-hot encoding. */
public final class Indexing {
    private Indexing() {
    }

    /** take_along_axis: out has index's shape; index may be smaller than x on the other axes. */
    public static Tensor gather(Tensor x, int axis, Tensor index) {
        Checks.notNull("gather", x, index);
        int a = Shape.normalizeAxis(axis, x.rank(), "gather");
        checkIndex("gather", x, a, index);
        Tensor out = Tensor.empty(index.shape(), x.dtype(), x.device());
        x.backend().gather(x.operand(), a, index.operand(), out.operand());
        if (x.dtype().isFloating()) {
            Shape from = x.shape();
            Node.record(out, "gather", g -> new Tensor[] {scatterAdd(Tensor.zeros(from, g.dtype(), g.device()), a, index, g), null},
                    x, index);
        }
        return out;
    }

    /** out = base with src added at the positions index gives along axis (base is not modified). */
    public static Tensor scatterAdd(Tensor base, int axis, Tensor index, Tensor src) {
        Checks.notNull("scatterAdd", base, index, src);
        int a = Shape.normalizeAxis(axis, base.rank(), "scatterAdd");
        checkIndex("scatterAdd", base, a, index);
        if (!src.shape().equals(index.shape())) {
            throw new IllegalArgumentException("scatterAdd: source shape " + src.shape() + " differs from index shape " + index.shape());
        }
        Tensor out = base.copy();
        out.backend().scatterAdd(src.operand(), a, index.operand(), out.operand());
        Tensor result = out.detach();
        out.close();
        if (base.dtype().isFloating()) {
            Node.record(result, "scatterAdd", g -> new Tensor[] {g, null, g.gather(a, index)}, base, index, src);
        }
        return result;
    }

    /** Picks entries of {@code axis} with an integer tensor of any shape: x (A, n, B) and index I give (A, I..., B). */
    public static Tensor indexSelect(Tensor x, int axis, Tensor index) {
        Checks.notNull("indexSelect", x, index);
        int a = Shape.normalizeAxis(axis, x.rank(), "indexSelect");
        if (index.dtype().isFloating()) {
            throw new IllegalArgumentException("indexSelect: index must be INT32 or INT64 — got " + index.dtype());
        }
        long n = index.numel();
        Tensor flat = index.reshape(n);
        long[] viewDims = new long[x.rank()];
        long[] gatherDims = x.shape().toArray();
        gatherDims[a] = n;
        for (int i = 0; i < x.rank(); i++) {
            viewDims[i] = i == a ? n : 1;
        }
        Tensor idx = flat.reshape(viewDims).expand(gatherDims);
        Tensor picked = gather(x, a, idx);
        long[] outDims = new long[x.rank() - 1 + index.rank()];
        int k = 0;
        for (int i = 0; i < a; i++) {
            outDims[k++] = x.dim(i);
        }
        for (int i = 0; i < index.rank(); i++) {
            outDims[k++] = index.dim(i);
        }
        for (int i = a + 1; i < x.rank(); i++) {
            outDims[k++] = x.dim(i);
        }
        return picked.reshape(outDims);
    }

    /** A new last axis of size depth with 1 at each index; indices must lie in [0, depth). */
    public static Tensor oneHot(Tensor index, int depth, DType dtype) {
        if (index.dtype().isFloating()) {
            throw new IllegalArgumentException("oneHot: index must be INT32 or INT64 — got " + index.dtype());
        }
        if (depth <= 0) {
            throw new IllegalArgumentException("oneHot: depth must be > 0 — got " + depth);
        }
        long[] dims = new long[index.rank() + 1];
        System.arraycopy(index.shape().toArray(), 0, dims, 0, index.rank());
        dims[index.rank()] = depth;
        Tensor out = Tensor.zeros(Shape.of(dims), dtype, index.device());
        long[] idxDims = dims.clone();
        idxDims[index.rank()] = 1;
        Tensor idx = index.reshape(idxDims);
        Tensor one = Tensor.full(Shape.scalar(), 1.0, dtype, index.device());
        Operand src = new Operand(one.storage(), Checks.broadcastLayout(one.layout(), idx.shape(), "oneHot"));
        out.backend().scatterAdd(src, index.rank(), idx.operand(), out.operand());
        return out;
    }

    private static void checkIndex(String op, Tensor x, int axis, Tensor index) {
        Checks.sameDevice(op, x, index);
        if (index.dtype() != DType.INT32 && index.dtype() != DType.INT64) {
            throw new IllegalArgumentException(op + ": index must be INT32 or INT64 — got " + index.dtype());
        }
        if (index.rank() != x.rank()) {
            throw new IllegalArgumentException(op + ": index rank differs from input rank — got index " + index.shape()
                    + " for input " + x.shape());
        }
        for (int i = 0; i < x.rank(); i++) {
            if (i != axis && index.dim(i) > x.dim(i)) {
                throw new IllegalArgumentException(op + ": index " + index.shape() + " is larger than input " + x.shape()
                        + " on axis " + i);
            }
        }
    }
}
