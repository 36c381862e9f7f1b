package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.ReduceOp;

/** Sums, extrema, means, variances and arg-extrema over any set of axes, with keepDims. */
public final class Reductions {
    private Reductions() {
    }

    public static Tensor reduce(ReduceOp op, Tensor x, boolean keepDims, int... axes) {
        if (op.isArg()) {
            throw new IllegalArgumentException("reduce: use arg() for " + op);
        }
        int[] ax = Checks.axes(axes, x.rank(), op.kernel());
        if (ax.length == 0) {
            return x;
        }
        Shape kept = keptShape(x.shape(), ax);
        if ((op == ReduceOp.MAX || op == ReduceOp.MIN) && x.numel() == 0) {
            throw new IllegalArgumentException(op.kernel() + ": cannot reduce an empty tensor " + x.shape()
                    + " (no identity for " + op.kernel() + ")");
        }
        Tensor outKeep = Tensor.empty(kept, x.dtype(), x.device());
        x.backend().reduce(op, x.operand(), ax, outKeep.operand());
        if (x.dtype().isFloating()) {
            Node.record(outKeep, op.kernel(), g -> new Tensor[] {gradient(op, x, outKeep, g)}, x);
        }
        return keepDims ? outKeep : outKeep.reshape(droppedShape(x.shape(), ax).toArray());
    }

    private static Tensor gradient(ReduceOp op, Tensor x, Tensor y, Tensor g) {
        Tensor gx = g.broadcastTo(x.shape());
        return switch (op) {
            case SUM -> gx;
            case PROD -> gx.mul(y).div(x);
            case MAX, MIN -> {
                // NOTE: ties share the gradient equally, as TensorFlow's reduce_max does. The share
                // g / ties is formed at the reduced shape and multiplied into the mask in place, so
                // one input-sized tensor is made instead of three (the same bits as (g * mask) / ties).
                Tensor mask = x.eq(y);
                Tensor share = g.div(mask.sum(true, reducedAxes(x.shape(), y.shape())));
                yield mask.mulInPlace(share);
            }
            default -> throw new IllegalStateException(op.toString());
        };
    }

    private static int[] reducedAxes(Shape x, Shape kept) {
        int n = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (kept.dim(i) != x.dim(i)) {
                n++;
            }
        }
        int[] a = new int[n];
        int k = 0;
        for (int i = 0; i < x.rank(); i++) {
            if (kept.dim(i) != x.dim(i)) {
                a[k++] = i;
            }
        }
        return a;
    }

    public static Tensor mean(Tensor x, boolean keepDims, int... axes) {
        Checks.floating("mean", x);
        int[] ax = Checks.axes(axes, x.rank(), "mean");
        long count = 1;
        for (int a : ax) {
            count *= x.dim(a);
        }
        return reduce(ReduceOp.SUM, x, keepDims, ax).div(count);
    }

    /** Population variance: mean((x - mean(x))^2). */
    public static Tensor variance(Tensor x, boolean keepDims, int... axes) {
        Tensor m = mean(x, true, axes);
        return mean(x.sub(m).square(), keepDims, axes);
    }

    /** INT64 positions of the extreme value along one axis. */
    public static Tensor arg(ReduceOp op, Tensor x, int axis, boolean keepDims) {
        int a = Shape.normalizeAxis(axis, x.rank(), op.kernel());
        if (x.dim(a) == 0) {
            throw new IllegalArgumentException(op.kernel() + ": axis " + axis + " of " + x.shape() + " is empty");
        }
        Shape kept = x.shape().with(a, 1);
        Tensor out = Tensor.empty(kept, DType.INT64, x.device());
        x.backend().reduce(op, x.operand(), new int[] {a}, out.operand());
        return keepDims ? out : out.reshape(droppedShape(x.shape(), new int[] {a}).toArray());
    }

    static Shape keptShape(Shape s, int[] axes) {
        long[] d = s.toArray();
        for (int a : axes) {
            d[a] = 1;
        }
        return Shape.of(d);
    }

    static Shape droppedShape(Shape s, int[] axes) {
        long[] d = new long[s.rank() - axes.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (j < axes.length && axes[j] == i) {
                j++;
            } else {
                d[k++] = s.dim(i);
            }
        }
        return Shape.of(d);
    }
}
