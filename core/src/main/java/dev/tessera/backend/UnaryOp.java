package dev.tessera.backend;

import dev.tessera.Tensor;

/**
 * Element-wise functions of one operand (and an optional scalar {@code alpha}). Each constant
 * carries the CUDA kernel name, a float64 reference and its derivative written in tensor ops, so
 * backends, the naive oracle and autograd all read the maths from one place.
 */
public enum UnaryOp {
    NEG("neg", (x, a) -> -x, (x, y, g, a) -> g.neg()),
    ABS("abs", (x, a) -> Math.abs(x), (x, y, g, a) -> g.mul(x.sign())),
    SIGN("sign", (x, a) -> Math.signum(x), null),
    EXP("exp", (x, a) -> Math.exp(x), (x, y, g, a) -> g.mul(y)),
    LOG("log", (x, a) -> Math.log(x), (x, y, g, a) -> g.div(x)),
    SQRT("sqrt", (x, a) -> Math.sqrt(x), (x, y, g, a) -> g.div(y.mul(2.0))),
    SQUARE("square", (x, a) -> x * x, (x, y, g, a) -> g.mul(x).mul(2.0)),
    RECIPROCAL("reciprocal", (x, a) -> 1.0 / x, (x, y, g, a) -> g.mul(y).mul(y).neg()),
    /** x raised to the constant power alpha. */
    POW_SCALAR("pow_scalar", Math::pow, (x, y, g, a) -> g.mul(x.powScalar(a - 1).mul(a))),
    /** alpha * x. */
    SCALE("scale", (x, a) -> a * x, (x, y, g, a) -> g.mul(a)),
    /** x + alpha. */
    SHIFT("shift", (x, a) -> x + a, (x, y, g, a) -> g),
    // NOTE: the derivative at 0 is taken as 0, as PyTorch and TensorFlow do.
    // The derivative reads the output (y > 0 exactly where x > 0), so relu may overwrite its input;
    // the gradient is multiplied into the fresh mask, one input-sized tensor instead of two.
    RELU("relu", (x, a) -> x > 0 ? x : 0.0, (x, y, g, a) -> y.gt(0.0).mulInPlace(g)),
    /** max(x, alpha * x) for a slope alpha in [0, 1). */
    LEAKY_RELU("leaky_relu", (x, a) -> x > 0 ? x : a * x,
            (x, y, g, a) -> g.mul(x.gt(0.0).mul(1.0 - a).add(a))),
    /** x for x > 0, alpha * (exp(x) - 1) otherwise. */
    ELU("elu", (x, a) -> x > 0 ? x : a * Math.expm1(x),
            (x, y, g, a) -> g.mul(Tensor.where(x.gt(0.0), x.onesLike(), y.add(a)))),
    SIGMOID("sigmoid", (x, a) -> 1.0 / (1.0 + Math.exp(-x)), (x, y, g, a) -> g.mul(y.mul(y.rsub(1.0)))),
    TANH("tanh", (x, a) -> Math.tanh(x), (x, y, g, a) -> g.mul(y.mul(y).rsub(1.0))),
    /** The exact (erf-based) GELU, as Keras' gelu(approximate=False) and PyTorch's default. */
    GELU("gelu", (x, a) -> 0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))),
            (x, y, g, a) -> g.mul(apply(x, "GELU_GRAD"))),
    /** d gelu / dx; only used as gelu's derivative. */
    GELU_GRAD("gelu_grad", (x, a) -> 0.5 * (1.0 + Erf.erf(x / Math.sqrt(2.0)))
            + x * Math.exp(-0.5 * x * x) / Math.sqrt(2.0 * Math.PI), null),
    SIN("sin", (x, a) -> Math.sin(x), (x, y, g, a) -> g.mul(apply(x, "COS"))),
    COS("cos", (x, a) -> Math.cos(x), (x, y, g, a) -> g.mul(apply(x, "SIN")).neg()),
    FLOOR("floor", (x, a) -> Math.floor(x), null),
    ROUND("round", (x, a) -> Math.rint(x), null);

    // NOTE: a constant's lambda cannot name a later constant directly (illegal forward reference).
    private static Tensor apply(Tensor x, String op) {
        return x.unary(valueOf(op), 0.0);
    }

    /** The float64 reference of a unary op. */
    @FunctionalInterface
    public interface Reference {
        double apply(double x, double alpha);
    }

    /** The vector-Jacobian product: gradient with respect to x given x, the output y and the output gradient g. */
    @FunctionalInterface
    public interface Derivative {
        Tensor apply(Tensor x, Tensor y, Tensor g, double alpha);
    }

    private final String kernel;
    private final Reference reference;
    private final Derivative derivative;

    UnaryOp(String kernel, Reference reference, Derivative derivative) {
        this.kernel = kernel;
        this.reference = reference;
        this.derivative = derivative;
    }

    /** Kernel base name, e.g. "exp" for CUDA's {@code unary_exp_f32}. */
    public String kernel() {
        return kernel;
    }

    /** Float64 reference value. */
    public double apply(double x, double alpha) {
        return reference.apply(x, alpha);
    }

    /** Whether the op has a gradient; SIGN, FLOOR and ROUND are piecewise constant and have none. */
    public boolean isDifferentiable() {
        return derivative != null;
    }

    public Derivative derivative() {
        return derivative;
    }
}
