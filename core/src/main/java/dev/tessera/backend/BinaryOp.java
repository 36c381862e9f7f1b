package dev.tessera.backend;

import dev.tessera.Tensor;

/**
 * Element-wise functions of two operands already broadcast to the output shape. Comparisons give
 * 1 or 0 in the output's dtype. Each constant carries its kernel name, float64 reference and the
 * gradients with respect to both inputs (before reduction to the inputs' shapes).
 */
public enum BinaryOp {
    ADD("add", (a, b) -> a + b, (a, b, y, g) -> g, (a, b, y, g) -> g),
    SUB("sub", (a, b) -> a - b, (a, b, y, g) -> g, (a, b, y, g) -> g.neg()),
    MUL("mul", (a, b) -> a * b, (a, b, y, g) -> g.mul(b), (a, b, y, g) -> g.mul(a)),
    DIV("div", (a, b) -> a / b, (a, b, y, g) -> g.div(b), (a, b, y, g) -> g.mul(y).div(b).neg()),
    POW("pow", Math::pow, (a, b, y, g) -> g.mul(b).mul(a.pow(b.sub(1.0))),
            (a, b, y, g) -> g.mul(y).mul(a.log())),
    // NOTE: at a tie the gradient goes to the first operand, as in TensorFlow.
    MAXIMUM("maximum", Math::max, (a, b, y, g) -> g.mul(a.ge(b)), (a, b, y, g) -> g.mul(a.lt(b))),
    MINIMUM("minimum", Math::min, (a, b, y, g) -> g.mul(a.le(b)), (a, b, y, g) -> g.mul(a.gt(b))),
    EQ("eq", (a, b) -> a == b ? 1 : 0, null, null),
    NE("ne", (a, b) -> a != b ? 1 : 0, null, null),
    LT("lt", (a, b) -> a < b ? 1 : 0, null, null),
    LE("le", (a, b) -> a <= b ? 1 : 0, null, null),
    GT("gt", (a, b) -> a > b ? 1 : 0, null, null),
    GE("ge", (a, b) -> a >= b ? 1 : 0, null, null);

    /** The float64 reference of a binary op. */
    @FunctionalInterface
    public interface Reference {
        double apply(double a, double b);
    }

    /** Gradient with respect to one input, given both inputs, the output and the output gradient. */
    @FunctionalInterface
    public interface Derivative {
        Tensor apply(Tensor a, Tensor b, Tensor y, Tensor g);
    }

    private final String kernel;
    private final Reference reference;
    private final Derivative dA;
    private final Derivative dB;

    BinaryOp(String kernel, Reference reference, Derivative dA, Derivative dB) {
        this.kernel = kernel;
        this.reference = reference;
        this.dA = dA;
        this.dB = dB;
    }

    public String kernel() {
        return kernel;
    }

    public double apply(double a, double b) {
        return reference.apply(a, b);
    }

    /** Comparisons have no gradient. */
    public boolean isDifferentiable() {
        return dA != null;
    }

    public boolean isComparison() {
        return ordinal() >= EQ.ordinal();
    }

    public Derivative derivativeA() {
        return dA;
    }

    public Derivative derivativeB() {
        return dB;
    }
}
