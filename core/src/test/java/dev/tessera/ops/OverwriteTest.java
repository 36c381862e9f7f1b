package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.UnaryOp;
import dev.tessera.memory.MemoryScope;
import org.junit.jupiter.api.Test;

/** When {@link Elementwise#unaryOver} and {@link Elementwise#binaryOver} reuse their operand's memory, and when they must not. */
class OverwriteTest {
    private static Tensor a() {
        return Tensor.of(new double[] {1, -2, 3, -4, 0.5, -0.25}, 2, 3).requiresGrad(true);
    }

    private static Tensor b() {
        return Tensor.of(new double[] {0.5, -1, 2, 1.5, -0.5, 0.25}, 3, 2).requiresGrad(true);
    }

    /** Gradients of sum(c * f(a @ b)) with respect to a and b, for the plain or the overwriting relu. */
    private static double[][] reluGrads(boolean over) {
        Tensor a = a();
        Tensor b = b();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor y = a.matmul(b);
            Tensor r = over ? Elementwise.unaryOver(UnaryOp.RELU, y, 0) : y.relu();
            r.mul(Tensor.of(new double[] {1, 2, 3, 4}, 2, 2)).sum().backward();
        }
        return new double[][] {a.grad().toDoubleArray(), b.grad().toDoubleArray()};
    }

    @Test
    void reluOverAMatmulOutputSharesItsMemoryAndGivesTheSameGradients() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor y = a().matmul(b());
            double[] expected = y.relu().toDoubleArray();
            Tensor r = Elementwise.unaryOver(UnaryOp.RELU, y, 0);
            assertSame(y.storage(), r.storage());
            assertArrayEquals(expected, r.toDoubleArray(), 0);
        }
        double[][] plain = reluGrads(false);
        double[][] over = reluGrads(true);
        assertArrayEquals(plain[0], over[0], 0);
        assertArrayEquals(plain[1], over[1], 0);
    }

    @Test
    void addOverAMulOutputBroadcastsTheOtherOperand() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor p = a().mul(a());
            Tensor bias = Tensor.of(new double[] {1, 2, 3}, 3);
            double[] expected = p.add(bias).toDoubleArray();
            Tensor s = Elementwise.binaryOver(BinaryOp.ADD, p, bias);
            assertSame(p.storage(), s.storage());
            assertArrayEquals(expected, s.toDoubleArray(), 0);
        }
    }

    @Test
    void tensorsOthersHoldOrReadAreNotOverwritten() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor leaf = a();
            assertNotSame(leaf.storage(), Elementwise.unaryOver(UnaryOp.RELU, leaf, 0).storage(), "a parameter");
            Tensor e = a().exp();
            assertNotSame(e.storage(), Elementwise.unaryOver(UnaryOp.RELU, e, 0).storage(),
                    "exp's backward reads its output");
            Tensor viewed = a().matmul(b());
            Tensor view = viewed.reshape(4);
            assertNotSame(viewed.storage(), Elementwise.unaryOver(UnaryOp.RELU, viewed, 0).storage(), "it has a view");
            assertArrayEquals(a().matmul(b()).toDoubleArray(), view.toDoubleArray(), 0);
            Tensor y = a().matmul(b());
            assertNotSame(y.storage(), Elementwise.unaryOver(UnaryOp.SQUARE, y, 0).storage(),
                    "square's gradient reads its input");
            Tensor small = a().mul(a());
            Tensor wide = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 2, 3);
            assertNotSame(small.storage(), Elementwise.binaryOver(BinaryOp.ADD, small, wide).storage(),
                    "the result is larger than the operand");
        }
        Tensor unscoped = a().matmul(b());
        assertNotSame(unscoped.storage(), Elementwise.unaryOver(UnaryOp.RELU, unscoped, 0).storage(), "no scope owns it");
    }

    @Test
    void withoutAGraphAScopedTemporaryIsOverwritten() {
        try (Grad ignored = Grad.disabled(); MemoryScope scope = MemoryScope.open()) {
            Tensor y = a().matmul(b());
            assertSame(y.storage(), Elementwise.unaryOver(UnaryOp.TANH, y, 0).storage());
        }
    }
}
