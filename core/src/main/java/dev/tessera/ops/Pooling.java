package dev.tessera.ops;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.PoolSpec;

/** Max and average pooling over NHWC input. */
public final class Pooling {
    private Pooling() {
    }

    public static Tensor maxPool2d(Tensor x, int[] pool, int[] strides, Padding padding) {
        return pool2d(PoolSpec.Kind.MAX, x, pool, strides, padding);
    }

    public static Tensor avgPool2d(Tensor x, int[] pool, int[] strides, Padding padding) {
        return pool2d(PoolSpec.Kind.AVG, x, pool, strides, padding);
    }

    private static Tensor pool2d(PoolSpec.Kind kind, Tensor x, int[] pool, int[] strides, Padding padding) {
        String op = kind == PoolSpec.Kind.MAX ? "maxPool2d" : "avgPool2d";
        Checks.rank(op, x, 4, "input (N, H, W, C)");
        Checks.floating(op, x);
        Checks.pair(op, pool, "pool size");
        Checks.pair(op, strides, "strides");
        Checks.padding(op, padding);
        int[] ph = padding.amounts(x.dim(1), pool[0], strides[0], 1);
        int[] pw = padding.amounts(x.dim(2), pool[1], strides[1], 1);
        return pool2d(x, new PoolSpec(kind, pool[0], pool[1], strides[0], strides[1], ph[0], ph[1], pw[0], pw[1]));
    }

    /** Pooling with explicit geometry. */
    public static Tensor pool2d(Tensor x, PoolSpec spec) {
        if (spec == null) {
            throw new IllegalArgumentException("pool2d: spec must not be null");
        }
        String op = spec.kind() == PoolSpec.Kind.MAX ? "maxPool2d" : "avgPool2d";
        Checks.rank(op, x, 4, "input (N, H, W, C)");
        Checks.floating(op, x);
        long oh = spec.outH(x.dim(1));
        long ow = spec.outW(x.dim(2));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": pool " + spec.kernelH() + "x" + spec.kernelW()
                    + " does not fit input " + x.shape());
        }
        Tensor y = Tensor.empty(Shape.of(x.dim(0), oh, ow, x.dim(3)), x.dtype(), x.device());
        x.backend().pool2d(spec, x.operand(), y.operand());
        return Node.record(y, op, g -> {
            Tensor dx = Tensor.empty(x.shape(), x.dtype(), x.device());
            x.backend().pool2dBackward(spec, x.operand(), y.operand(), g.operand(), dx.operand());
            return new Tensor[] {dx};
        }, x);
    }
}
