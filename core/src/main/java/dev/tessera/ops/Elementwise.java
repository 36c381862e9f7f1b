package dev.tessera.ops;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Operand;
import dev.tessera.backend.UnaryOp;
import java.util.EnumSet;
import java.util.Set;

/** Element-wise unary and binary ops with NumPy broadcasting, where, casts and in-place updates. */
public final class Elementwise {
    /** Ops whose results are not integers: on an integer tensor they would be silently truncated (exp(1) = 2). */
    private static final EnumSet<UnaryOp> FLOAT_ONLY = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.RECIPROCAL,
            UnaryOp.LEAKY_RELU, UnaryOp.ELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.GELU, UnaryOp.GELU_GRAD, UnaryOp.SIN,
            UnaryOp.COS);

    /** Unary ops whose gradient reads only their output, so they may overwrite their input. */
    private static final EnumSet<UnaryOp> GRADIENT_FROM_OUTPUT = EnumSet.of(UnaryOp.RELU, UnaryOp.SIGMOID,
            UnaryOp.TANH, UnaryOp.EXP);
    /** Binary ops whose gradient reads neither operand nor output. */
    private static final EnumSet<BinaryOp> GRADIENT_FROM_NOTHING = EnumSet.of(BinaryOp.ADD, BinaryOp.SUB);
    /** Recorded ops whose backward never reads their own output: it may be overwritten by the next op. */
    private static final Set<String> OUTPUT_UNREAD = Set.of("conv2d", "batchNorm", "matmul", "add", "sub", "mul");

    private Elementwise() {
    }

    /**
     * op(x) written over x's memory, for a layer applying an activation to a temporary of its own
     * (a convolution's output, say) that nothing else holds: it saves one tensor of x's size per
     * layer until the step's scope closes. Falls back to {@link #unary} unless the op's gradient
     * needs only its output (relu, sigmoid, tanh, exp) and x is contiguous, owned by a scope (not
     * a parameter or other long-lived tensor), has no views, and was made by an op whose backward
     * does not read it (or by none, outside a recorded graph).
     */
    public static Tensor unaryOver(UnaryOp op, Tensor x, double alpha) {
        if (!GRADIENT_FROM_OUTPUT.contains(op) || !overwritable(x)) {
            return unary(op, x, alpha);
        }
        x.backend().unary(op, x.operand(), x.operand(), alpha);
        Tensor out = x.view(x.layout());
        Node.record(out, op.kernel(), g -> new Tensor[] {op.derivative().apply(out, out, g, alpha)}, x);
        return out;
    }

    /**
     * a + b or a - b written over a's memory, under the conditions of {@link #unaryOver} for a
     * (and b broadcast to a's shape and dtype); otherwise {@link #binary}.
     */
    public static Tensor binaryOver(BinaryOp op, Tensor a, Tensor b) {
        String name = op.kernel();
        Checks.sameDevice(name, a, b);
        if (!GRADIENT_FROM_NOTHING.contains(op) || !overwritable(a) || a.dtype() != DType.promote(a.dtype(), b.dtype())
                || !Shape.broadcast(a.shape(), b.shape(), name).equals(a.shape())) {
            return binary(op, a, b);
        }
        Tensor y = cast(b, a.dtype());
        a.backend().binary(op, a.operand(), broadcast(y, a.shape(), name), a.operand());
        Tensor out = a.view(a.layout());
        Node.record(out, name, g -> new Tensor[] {
            a.requiresGrad() ? op.derivativeA().apply(a, y, out, g) : null,
            y.requiresGrad() ? op.derivativeB().apply(a, y, out, g) : null
        }, a, y);
        return out;
    }

    private static boolean overwritable(Tensor x) {
        if (!x.dtype().isFloating() || !x.isContiguous() || x.scope() == null || x.storage().isShared()) {
            return false;
        }
        Node n = x.node();
        if (n == null) {
            return !x.requiresGrad();
        }
        return n.accumulator() == null && OUTPUT_UNREAD.contains(n.op());
    }

    public static Tensor unary(UnaryOp op, Tensor x, double alpha) {
        if (op == null) {
            throw new IllegalArgumentException("unary: op must not be null");
        }
        if (FLOAT_ONLY.contains(op) && !x.dtype().isFloating()) {
            throw new IllegalArgumentException(op.kernel() + ": needs a floating-point tensor — got " + x.dtype() + " "
                    + x.shape() + "; cast it with to(DType.FLOAT32) first");
        }
        Tensor out = Tensor.empty(x.shape(), x.dtype(), x.device());
        x.backend().unary(op, x.operand(), out.operand(), alpha);
        if (op.isDifferentiable() && x.dtype().isFloating()) {
            Node.record(out, op.kernel(), g -> new Tensor[] {op.derivative().apply(x, out, g, alpha)}, x);
        }
        return out;
    }

    public static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        String name = op.kernel();
        Checks.sameDevice(name, a, b);
        DType dt = DType.promote(a.dtype(), b.dtype());
        Tensor x = cast(a, dt);
        Tensor y = cast(b, dt);
        Shape shape = Shape.broadcast(x.shape(), y.shape(), name);
        Tensor out = Tensor.empty(shape, dt, x.device());
        x.backend().binary(op, broadcast(x, shape, name), broadcast(y, shape, name), out.operand());
        if (op.isDifferentiable() && dt.isFloating()) {
            Node.record(out, name, g -> new Tensor[] {
                x.requiresGrad() ? op.derivativeA().apply(x, y, out, g) : null,
                y.requiresGrad() ? op.derivativeB().apply(x, y, out, g) : null
            }, x, y);
        }
        return out;
    }

    public static Tensor where(Tensor cond, Tensor a, Tensor b) {
        Checks.sameDevice("where", cond, a);
        Checks.sameDevice("where", a, b);
        DType dt = DType.promote(a.dtype(), b.dtype());
        Tensor x = cast(a, dt);
        Tensor y = cast(b, dt);
        Shape shape = Shape.broadcast(Shape.broadcast(cond.shape(), x.shape(), "where"), y.shape(), "where");
        Tensor out = Tensor.empty(shape, dt, x.device());
        x.backend().where(broadcast(cond, shape, "where"), broadcast(x, shape, "where"), broadcast(y, shape, "where"),
                out.operand());
        if (dt.isFloating()) {
            Node.record(out, "where", g -> {
                Tensor zero = g.scalarLike(0);
                return new Tensor[] {null, where(cond, g, zero), where(cond, zero, g)};
            }, cond, x, y);
        }
        return out;
    }

    /** max(min_value, min(x, max_value)); the gradient passes where x lies inside [min, max]. */
    public static Tensor clamp(Tensor x, double min, double max) {
        if (min > max) {
            throw new IllegalArgumentException("clamp: min must be <= max — got min=" + min + ", max=" + max);
        }
        return binary(BinaryOp.MINIMUM, binary(BinaryOp.MAXIMUM, x, x.scalarLike(min)), x.scalarLike(max));
    }

    public static Tensor cast(Tensor x, DType dtype) {
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor out = Tensor.empty(x.shape(), dtype, x.device());
        x.backend().copy(x.operand(), out.operand());
        if (dtype.isFloating() && x.dtype().isFloating()) {
            DType from = x.dtype();
            Node.record(out, "cast", g -> new Tensor[] {cast(g, from)}, x);
        }
        return out;
    }

    /** t = t op other, with other broadcast to t's shape and cast to t's dtype. */
    public static Tensor inPlace(BinaryOp op, Tensor t, Tensor other) {
        String name = op.kernel() + "InPlace";
        Checks.writable(name, t);
        Checks.sameDevice(name, t, other);
        Tensor o = cast(other, t.dtype());
        Operand src = new Operand(o.storage(), Checks.broadcastLayout(o.layout(), t.shape(), name));
        if (t.isContiguous()) {
            Operand dst = t.operand();
            t.backend().binary(op, dst, src, dst);
        } else {
            Tensor tmp = Tensor.empty(t.shape(), t.dtype(), t.device());
            t.backend().binary(op, t.operand(), src, tmp.operand());
            t.backend().copy(tmp.operand(), t.operand());
            tmp.close();
        }
        return t;
    }

    static Operand broadcast(Tensor t, Shape shape, String op) {
        Layout l = t.layout();
        if (l.shape().equals(shape)) {
            return t.operand();
        }
        return new Operand(t.storage(), Checks.broadcastLayout(l, shape, op));
    }
}
