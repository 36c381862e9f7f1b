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

/** Element-wise unary and binary ops with NumPy broadcasting, where, casts and in-place updates. */
public final class Elementwise {
    /** Ops whose results are not integers: on an integer tensor they would be silently truncated (exp(1) = 2). */
    private static final EnumSet<UnaryOp> FLOAT_ONLY = EnumSet.of(UnaryOp.EXP, UnaryOp.LOG, UnaryOp.SQRT, UnaryOp.RECIPROCAL,
            UnaryOp.LEAKY_RELU, UnaryOp.ELU, UnaryOp.SIGMOID, UnaryOp.TANH, UnaryOp.GELU, UnaryOp.GELU_GRAD, UnaryOp.SIN,
            UnaryOp.COS);

    private Elementwise() {
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
