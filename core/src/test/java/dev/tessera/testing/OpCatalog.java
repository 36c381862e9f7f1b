package dev.tessera.testing;

import static dev.tessera.testing.OpSpec.of;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.UnaryOp;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Elementwise;
import dev.tessera.ops.Indexing;
import dev.tessera.ops.Normalization;
import dev.tessera.ops.Padding;
import dev.tessera.ops.Pooling;
import java.util.ArrayList;
import java.util.List;

/**
 * Every public op of the Tensor API (and of {@code dev.tessera.ops} where Tensor has no method),
 * with broadcasting variants, several axis sets and awkward shapes. The gradient check and the
 * "every op has a gradient check" note iterate this one list, so a new op needs one entry here.
 */
public final class OpCatalog {
    private OpCatalog() {
    }

    private static Shape s(long... dims) {
        return Shape.of(dims);
    }

    /** A constant tensor of the given values on the device of {@code like}. */
    private static Tensor constant(Tensor like, double[] values, long... dims) {
        return Tensor.of(values, dims).to(like.dtype()).to(like.device());
    }

    /** An INT64 constant on the device of {@code like}. */
    private static Tensor indices(Tensor like, long[] values, long... dims) {
        return Tensor.of(values, dims).to(like.device());
    }

    /** A 0/1 mask constant (alternating, with a few runs) shaped {@code dims}. */
    private static Tensor mask(Tensor like, long... dims) {
        int n = Math.toIntExact(Shape.of(dims).numel());
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (i * 7 % 5) < 2 ? 1 : 0;
        }
        return constant(like, v, dims);
    }

    /** The whole catalog. */
    public static List<OpSpec> all() {
        List<OpSpec> ops = new ArrayList<>();
        elementwise(ops);
        reductions(ops);
        linearAlgebra(ops);
        movement(ops);
        indexing(ops);
        imageOps(ops);
        return ops;
    }

    /** The ops that have a gradient. */
    public static List<OpSpec> differentiable() {
        return all().stream().filter(OpSpec::differentiable).toList();
    }

    private static void elementwise(List<OpSpec> ops) {
        Shape m = s(3, 4);
        for (UnaryOp op : UnaryOp.values()) {
            double alpha = BackendConformanceSuite.alpha(op);
            OpSpec spec = of("unary " + op, x -> x[0].unary(op, alpha), m).domains(BackendConformanceSuite.domain(op));
            ops.add(op.isDifferentiable() ? spec : spec.notDifferentiable());
        }
        ops.add(of("relu over a matmul output", x -> Elementwise.unaryOver(UnaryOp.RELU, x[0].matmul(x[1]), 0),
                s(3, 4), s(4, 5)));
        ops.add(of("sigmoid over a conv2d output", x -> Elementwise.unaryOver(UnaryOp.SIGMOID,
                Conv.conv2d(x[0], x[1], new int[] {1, 1}, Padding.SAME, new int[] {1, 1}), 0),
                s(1, 4, 3, 2), s(3, 3, 2, 2)));
        ops.add(of("tanh over a broadcast add", x -> Elementwise.unaryOver(UnaryOp.TANH, x[0].add(x[1]), 0),
                s(2, 3), s(3)));
        ops.add(of("relu over an exp output (not overwritten)", x -> Elementwise.unaryOver(UnaryOp.RELU,
                x[0].exp(), 0), m));
        ops.add(of("add over a mul output, broadcast", x -> Elementwise.binaryOver(BinaryOp.ADD, x[0].mul(x[1]), x[2]),
                s(2, 3, 4), s(2, 1, 4), s(4)));
        ops.add(of("sub over a matmul output", x -> Elementwise.binaryOver(BinaryOp.SUB, x[0].matmul(x[1]), x[2]),
                s(3, 4), s(4, 2), s(3, 1)));
        ops.add(of("add", x -> x[0].add(x[1]), m, m));
        ops.add(of("sub", x -> x[0].sub(x[1]), m, m));
        ops.add(of("mul", x -> x[0].mul(x[1]), m, m));
        ops.add(of("div", x -> x[0].div(x[1]), m, m).domains(Domain.ANY, Domain.POSITIVE));
        ops.add(of("pow", x -> x[0].pow(x[1]), m, m).domains(Domain.POSITIVE, Domain.ANY));
        ops.add(of("maximum", x -> x[0].maximum(x[1]), m, m));
        ops.add(of("minimum", x -> x[0].minimum(x[1]), m, m));
        ops.add(of("add broadcast (3, 4) + (4,)", x -> x[0].add(x[1]), m, s(4)));
        ops.add(of("sub broadcast (3, 1) - (1, 4)", x -> x[0].sub(x[1]), s(3, 1), s(1, 4)));
        ops.add(of("mul broadcast (2, 1, 4) * (3, 1)", x -> x[0].mul(x[1]), s(2, 1, 4), s(3, 1)));
        ops.add(of("div broadcast (3, 4) / ()", x -> x[0].div(x[1]), m, s()).domains(Domain.ANY, Domain.POSITIVE));
        ops.add(of("pow broadcast (3, 4) ^ (1, 4)", x -> x[0].pow(x[1]), m, s(1, 4)).domains(Domain.POSITIVE, Domain.ANY));
        ops.add(of("maximum broadcast (3, 4) and (4,)", x -> x[0].maximum(x[1]), m, s(4)));
        ops.add(of("minimum broadcast (1,) and (2, 3)", x -> x[0].minimum(x[1]), s(1), s(2, 3)));
        for (BinaryOp op : BinaryOp.values()) {
            if (op.isComparison()) {
                ops.add(of(op.kernel(), x -> compare(op, x[0], x[1]), m, m).domains(Domain.INTEGER, Domain.INTEGER)
                        .notDifferentiable());
            }
        }
        ops.add(of("add scalar", x -> x[0].add(0.75), m));
        ops.add(of("sub scalar", x -> x[0].sub(0.75), m));
        ops.add(of("rsub", x -> x[0].rsub(2.0), m));
        ops.add(of("mul scalar", x -> x[0].mul(-1.5), m));
        ops.add(of("div scalar", x -> x[0].div(4.0), m));
        ops.add(of("powScalar 2.5", x -> x[0].powScalar(2.5), m).domains(Domain.POSITIVE));
        ops.add(of("powScalar 3", x -> x[0].powScalar(3), m));
        ops.add(of("clamp", x -> x[0].clamp(-0.5, 0.7), m));
        ops.add(of("neg", x -> x[0].neg(), m));
        ops.add(of("abs", x -> x[0].abs(), m));
        ops.add(of("sign", x -> x[0].sign(), m).notDifferentiable());
        ops.add(of("exp", x -> x[0].exp(), m));
        ops.add(of("log", x -> x[0].log(), m).domains(Domain.POSITIVE));
        ops.add(of("sqrt", x -> x[0].sqrt(), m).domains(Domain.POSITIVE));
        ops.add(of("square", x -> x[0].square(), m));
        ops.add(of("reciprocal", x -> x[0].reciprocal(), m).domains(Domain.POSITIVE));
        ops.add(of("relu", x -> x[0].relu(), m));
        ops.add(of("leakyRelu", x -> x[0].leakyRelu(0.2), m));
        ops.add(of("elu", x -> x[0].elu(1.0), m));
        ops.add(of("gelu", x -> x[0].gelu(), m));
        ops.add(of("sigmoid", x -> x[0].sigmoid(), m));
        ops.add(of("tanh", x -> x[0].tanh(), m));
        ops.add(of("where", x -> Tensor.where(mask(x[0], 3, 4), x[0], x[1]), m, m));
        ops.add(of("where broadcast cond (3, 1), a (3, 4), b (4,)", x -> Tensor.where(mask(x[0], 3, 1), x[0], x[1]), m, s(4)));
        // NOTE: a float32 round trip rounds to 2^-24 relative, so its difference quotient needs a larger step.
        ops.add(of("cast float64 -> float32", x -> x[0].to(DType.FLOAT32), m).gradCheck(1e-2, 1e-4));
        ops.add(of("cast to int64", x -> x[0].to(DType.INT64), m).notDifferentiable());
        ops.add(of("copy", x -> x[0].transpose(0, 1).copy(), m));
    }

    private static Tensor compare(BinaryOp op, Tensor a, Tensor b) {
        return switch (op) {
            case EQ -> a.eq(b);
            case NE -> a.ne(b);
            case LT -> a.lt(b);
            case LE -> a.le(b);
            case GT -> a.gt(b);
            default -> a.ge(b);
        };
    }

    private static void reductions(List<OpSpec> ops) {
        Shape c = s(2, 3, 4);
        ops.add(of("sum all", x -> x[0].sum(), c));
        ops.add(of("sum axis 1", x -> x[0].sum(1), c));
        ops.add(of("sum keepDims axes (0, 2)", x -> x[0].sum(true, 0, 2), c));
        ops.add(of("sum axis -1 of (5,)", x -> x[0].sum(-1), s(5)));
        ops.add(of("mean all", x -> x[0].mean(), c));
        ops.add(of("mean axes (0, 2)", x -> x[0].mean(0, 2), c));
        ops.add(of("mean keepDims axis 1", x -> x[0].mean(true, 1), c));
        ops.add(of("max all", x -> x[0].max(), c));
        ops.add(of("max keepDims axis 1", x -> x[0].max(true, 1), c));
        ops.add(of("max axes (0, 2)", x -> x[0].max(false, 0, 2), c));
        ops.add(of("min all", x -> x[0].min(), c));
        ops.add(of("min axis 0", x -> x[0].min(false, 0), c));
        ops.add(of("min keepDims axes (1, 2)", x -> x[0].min(true, 1, 2), c));
        ops.add(of("variance keepDims axis 1", x -> x[0].variance(true, 1), c));
        ops.add(of("variance axes (0, 2)", x -> x[0].variance(false, 0, 2), c));
        ops.add(of("argmax", x -> x[0].argmax(1), c).notDifferentiable());
        ops.add(of("argmin", x -> x[0].argmin(-1), c).notDifferentiable());
    }

    private static void linearAlgebra(List<OpSpec> ops) {
        ops.add(of("matmul 2-D", x -> x[0].matmul(x[1]), s(3, 4), s(4, 5)));
        ops.add(of("matmul (2, 3, 4) x (4, 5)", x -> x[0].matmul(x[1]), s(2, 3, 4), s(4, 5)));
        ops.add(of("matmul batched (2, 3, 4) x (2, 4, 5)", x -> x[0].matmul(x[1]), s(2, 3, 4), s(2, 4, 5)));
        ops.add(of("matmul broadcast batch (2, 1, 3, 4) x (3, 4, 2)", x -> x[0].matmul(x[1]), s(2, 1, 3, 4), s(3, 4, 2)));
        ops.add(of("matmul 1-D x 2-D", x -> x[0].matmul(x[1]), s(4), s(4, 3)));
        ops.add(of("matmul 2-D x 1-D", x -> x[0].matmul(x[1]), s(3, 4), s(4)));
        ops.add(of("matmul 1-D x 1-D", x -> x[0].matmul(x[1]), s(4), s(4)));
        ops.add(of("matmul transposed operands", x -> x[0].mT().matmul(x[1].mT()), s(4, 3), s(5, 4)));
        ops.add(of("mT", x -> x[0].mT(), s(2, 3, 4)));
    }

    private static void movement(List<OpSpec> ops) {
        Shape c = s(2, 3, 4);
        ops.add(of("reshape", x -> x[0].reshape(4, 6), c));
        ops.add(of("reshape -1 of a transposed view", x -> x[0].transpose(0, 2).reshape(-1, 3), c));
        ops.add(of("flatten", x -> x[0].flatten(1), c));
        ops.add(of("permute", x -> x[0].permute(2, 0, 1), c));
        ops.add(of("transpose", x -> x[0].transpose(0, 1), c));
        ops.add(of("slice", x -> x[0].slice(2, 1, 3), c));
        ops.add(of("narrow", x -> x[0].narrow(1, 1, 2), c));
        ops.add(of("select", x -> x[0].select(1, -1), c));
        ops.add(of("expand", x -> x[0].expand(2, 3, 4), s(3, 1)));
        ops.add(of("broadcastTo", x -> x[0].broadcastTo(Shape.of(2, 4)), s(4)));
        ops.add(of("squeeze", x -> x[0].squeeze(), s(3, 1, 4, 1)));
        ops.add(of("squeeze axis", x -> x[0].squeeze(1), s(3, 1, 4)));
        ops.add(of("unsqueeze", x -> x[0].unsqueeze(1), s(3, 4)));
        ops.add(of("contiguous of a permuted view", x -> x[0].permute(1, 2, 0).contiguous(), c));
        ops.add(of("concat", x -> Tensor.concat(1, x[0], x[1], x[0]), s(2, 3), s(2, 1)));
        ops.add(of("stack", x -> Tensor.stack(1, x[0], x[1]), s(2, 3), s(2, 3)));
        ops.add(of("split", x -> {
            Tensor[] p = x[0].split(1, 1, 3);
            return p[1].mul(p[0]);
        }, s(2, 4)));
        ops.add(of("chunk", x -> {
            Tensor[] p = x[0].chunk(2, 0);
            return p[0].sub(p[1].mul(2.0));
        }, s(4, 3)));
    }

    private static void indexing(List<OpSpec> ops) {
        ops.add(of("gather axis 1", x -> x[0].gather(1, indices(x[0], new long[] {0, 3, 3, 1, 2, 2, 0, 0, 4, 1, 2, 3}, 3, 4)),
                s(3, 5)));
        ops.add(of("gather axis 0", x -> x[0].gather(0, indices(x[0], new long[] {2, 0, 1, 1, 1, 0}, 2, 3)), s(3, 4)));
        ops.add(of("gather INT32 index", x -> x[0].gather(1,
                Tensor.of(new int[] {1, 1, 0, 2}, 2, 2).to(x[0].device())), s(2, 3)));
        ops.add(of("indexSelect with repeats", x -> x[0].indexSelect(0, indices(x[0], new long[] {3, 0, 3, 1, 3}, 5)), s(4, 3)));
        ops.add(of("indexSelect 2-D index axis 1", x -> x[0].indexSelect(1, indices(x[0], new long[] {1, 0, 1, 2}, 2, 2)),
                s(2, 3)));
        ops.add(of("scatterAdd", x -> Indexing.scatterAdd(x[0], 1, indices(x[0], new long[] {0, 2, 2, 1, 1, 1}, 2, 3), x[1]),
                s(2, 4), s(2, 3)));
        ops.add(of("softmax last axis", x -> x[0].softmax(-1), s(3, 5)));
        ops.add(of("softmax axis 0", x -> x[0].softmax(0), s(3, 5)));
        ops.add(of("logSoftmax last axis", x -> x[0].logSoftmax(-1), s(2, 3, 4)));
        ops.add(of("logSoftmax axis 1", x -> x[0].logSoftmax(1), s(2, 3, 4)));
        ops.add(of("oneHot", x -> x[0].to(DType.INT64).oneHot(5), s(3)).domains(Domain.POSITIVE).notDifferentiable());
    }

    private static void imageOps(List<OpSpec> ops) {
        int[] one = {1, 1};
        int[] two = {2, 2};
        ops.add(of("conv2d valid", x -> Conv.conv2d(x[0], x[1], one, Padding.VALID, one), s(2, 5, 5, 2), s(3, 3, 2, 3)));
        ops.add(of("conv2d same stride 2", x -> Conv.conv2d(x[0], x[1], two, Padding.SAME, one), s(1, 7, 6, 2), s(3, 2, 2, 2)));
        ops.add(of("conv2d with bias, same stride 2", x -> Conv.conv2d(x[0], x[1], x[2], two, Padding.SAME, one),
                s(1, 5, 6, 2), s(3, 3, 2, 3), s(3)));
        ops.add(of("conv2d dilation 2", x -> Conv.conv2d(x[0], x[1], one, Padding.SAME, two), s(1, 7, 7, 1), s(3, 3, 1, 2)));
        ops.add(of("conv2d explicit asymmetric padding", x -> Conv.conv2d(x[0], x[1], new Conv2dSpec(2, 1, 1, 0, 2, 1, 1, 2)),
                s(1, 6, 5, 2), s(2, 3, 2, 2)));
        ops.add(of("conv2dTranspose same stride 2", x -> Conv.conv2dTranspose(x[0], x[1], two, Padding.SAME, one),
                s(1, 3, 4, 2), s(3, 3, 3, 2)));
        ops.add(of("conv2dTranspose valid", x -> Conv.conv2dTranspose(x[0], x[1], one, Padding.VALID, one),
                s(2, 3, 3, 2), s(2, 2, 1, 2)));
        ops.add(of("maxPool2d valid", x -> Pooling.maxPool2d(x[0], two, two, Padding.VALID), s(2, 4, 5, 2)));
        ops.add(of("maxPool2d same stride 1", x -> Pooling.maxPool2d(x[0], new int[] {3, 3}, one, Padding.SAME), s(1, 4, 4, 2)));
        ops.add(of("avgPool2d valid", x -> Pooling.avgPool2d(x[0], two, two, Padding.VALID), s(2, 4, 4, 2)));
        ops.add(of("avgPool2d same", x -> Pooling.avgPool2d(x[0], new int[] {3, 3}, two, Padding.SAME), s(1, 5, 5, 2)));
        ops.add(of("pool2d explicit padding", x -> Pooling.pool2d(x[0], new PoolSpec(PoolSpec.Kind.AVG, 2, 3, 1, 2, 1, 0, 0, 2)),
                s(1, 4, 5, 1)));
        ops.add(of("batchNorm training", x -> Normalization.batchNorm(x[0], x[1], x[2], runningStat(x[0], 0.0, 3),
                runningStat(x[0], 1.0, 3), 0.9, 1e-3, true), s(4, 2, 3), s(3), s(3)));
        ops.add(of("batchNorm inference", x -> Normalization.batchNorm(x[0], x[1], x[2],
                constant(x[0], new double[] {0.1, -0.2, 0.3}, 3), constant(x[0], new double[] {0.5, 1.5, 2.0}, 3),
                0.9, 1e-3, false), s(5, 3), s(3), s(3)));
        ops.add(of("batchNorm training without scale and bias", x -> Normalization.batchNorm(x[0], null, null,
                runningStat(x[0], 0.0, 2), runningStat(x[0], 1.0, 2), 0.9, 1e-3, true), s(3, 3, 2)));
    }

    private static Tensor runningStat(Tensor like, double value, long channels) {
        return Tensor.full(Shape.of(channels), value, like.dtype(), like.device());
    }
}
