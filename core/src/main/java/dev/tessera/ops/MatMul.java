package dev.tessera.ops;

import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.Operand;

/** Matrix products: 2-D, batched with NumPy broadcasting of the batch dimensions, and 1-D operands as NumPy treats them. */
public final class MatMul {
    private MatMul() {
    }

    public static Tensor apply(Tensor a, Tensor b) {
        Checks.sameDevice("matmul", a, b);
        Checks.sameDtype("matmul", a, b);
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: operands must have rank >= 1 — got " + a.shape() + " and " + b.shape());
        }
        if (a.rank() == 1 && b.rank() == 1) {
            return apply(a.unsqueeze(0), b.unsqueeze(1)).reshape();
        }
        if (a.rank() == 1) {
            return apply(a.unsqueeze(0), b).squeeze(-2);
        }
        if (b.rank() == 1) {
            return apply(a, b.unsqueeze(1)).squeeze(-1);
        }
        long m = a.dim(-2);
        long k = a.dim(-1);
        long n = b.dim(-1);
        if (b.dim(-2) != k) {
            throw new IllegalArgumentException("matmul: inner dimensions differ — got " + a.shape() + " and " + b.shape());
        }
        Tensor out;
        if (b.rank() == 2 && a.rank() > 2) {
            // NOTE: (..., M, K) x (K, N) is one large GEMM over the flattened rows, not a batch of small ones.
            long rows = a.numel() / k;
            Tensor flat = a.reshape(rows, k);
            out = gemm(flat, b).reshape(outShape(a.shape(), n).toArray());
            return out;
        }
        Shape batch = Shape.broadcast(batchShape(a.shape()), batchShape(b.shape()), "matmul");
        Operand oa = batched(a, batch, m, k);
        Operand ob = batched(b, batch, k, n);
        long bcount = batch.numel();
        Tensor result = Tensor.empty(Shape.of(bcount, m, n), a.dtype(), a.device());
        a.backend().gemm(oa, ob, result.operand());
        long[] full = new long[batch.rank() + 2];
        System.arraycopy(batch.toArray(), 0, full, 0, batch.rank());
        full[batch.rank()] = m;
        full[batch.rank() + 1] = n;
        out = result.view(Layout.contiguous(Shape.of(full)));
        result.close();
        return Node.record(out, "matmul", g -> new Tensor[] {
            a.requiresGrad() ? g.matmul(b.mT()) : null,
            b.requiresGrad() ? a.mT().matmul(g) : null
        }, a, b);
    }

    private static Tensor gemm(Tensor a, Tensor b) {
        long m = a.dim(0);
        long k = a.dim(1);
        long n = b.dim(1);
        Tensor out = Tensor.empty(Shape.of(1, m, n), a.dtype(), a.device());
        a.backend().gemm(as3d(a), as3d(b), out.operand());
        Tensor y = out.view(Layout.contiguous(Shape.of(m, n)));
        out.close();
        return Node.record(y, "matmul", g -> new Tensor[] {
            a.requiresGrad() ? g.matmul(b.mT()) : null,
            b.requiresGrad() ? a.mT().matmul(g) : null
        }, a, b);
    }

    private static Operand as3d(Tensor t) {
        Layout l = t.layout();
        return new Operand(t.storage(), new Layout(Shape.of(1, t.dim(0), t.dim(1)),
                new long[] {0, l.stride(0), l.stride(1)}, l.offset()));
    }

    private static Shape outShape(Shape a, long n) {
        long[] d = a.toArray();
        d[d.length - 1] = n;
        return Shape.of(d);
    }

    private static Shape batchShape(Shape s) {
        long[] d = new long[s.rank() - 2];
        System.arraycopy(s.toArray(), 0, d, 0, d.length);
        return Shape.of(d);
    }

    /** t broadcast to batch + (rows, cols) and its batch dims collapsed into one, copying only when they cannot be. */
    private static Operand batched(Tensor t, Shape batch, long rows, long cols) {
        long[] full = new long[batch.rank() + 2];
        System.arraycopy(batch.toArray(), 0, full, 0, batch.rank());
        full[batch.rank()] = rows;
        full[batch.rank() + 1] = cols;
        Layout l = Checks.broadcastLayout(t.layout(), Shape.of(full), "matmul");
        Long bstride = collapsedStride(l, batch.rank());
        if (bstride == null) {
            Tensor c = Tensor.empty(Shape.of(full), t.dtype(), t.device());
            t.backend().copy(new Operand(t.storage(), l), c.operand());
            return new Operand(c.storage(), new Layout(Shape.of(batch.numel(), rows, cols),
                    new long[] {rows * cols, cols, 1}, 0));
        }
        long r = batch.rank();
        return new Operand(t.storage(), new Layout(Shape.of(batch.numel(), rows, cols),
                new long[] {bstride, l.stride((int) r), l.stride((int) r + 1)}, l.offset()));
    }

    /** The single stride that walks all batch dims in order, or null if there is none. */
    private static Long collapsedStride(Layout l, int batchRank) {
        if (batchRank == 0) {
            return 0L;
        }
        long stride = -1;
        long expectedNext = -1;
        for (int i = batchRank - 1; i >= 0; i--) {
            long d = l.shape().dim(i);
            long s = l.stride(i);
            if (d == 1) {
                continue;
            }
            if (stride < 0) {
                stride = s;
                expectedNext = s * d;
            } else if (s == expectedNext) {
                expectedNext = s * d;
            } else {
                return null;
            }
        }
        return stride < 0 ? 0L : stride;
    }
}
