package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Backend;
import dev.tessera.backend.Operand;
import dev.tessera.backend.UnaryOp;
import dev.tessera.testing.HostOperand.Variant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** The suite's comparison catches a backend that computes the wrong values or writes outside its output. */
class BackendConformanceSuiteTest {
    private static final NaiveBackend UNDER_TEST = new NaiveBackend();

    /** The suite pointed at a second naive backend, so a call can misbehave on that one only. */
    private static final class Probe extends BackendConformanceSuite {
        @Override
        protected Backend backend() {
            return UNDER_TEST;
        }
    }

    private static HostOperand[] operands() {
        SplittableRandom r = new SplittableRandom(1);
        Shape s = Shape.of(3, 4);
        return new HostOperand[] {HostOperand.random(DType.FLOAT32, s, Variant.SLICED, Domain.ANY, r),
            HostOperand.output(DType.FLOAT32, s, r)};
    }

    @Test
    void wrongValuesFailWithTheFirstBadIndex() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> new Probe().check("exp", operands(), new int[] {1},
                BackendConformanceSuite.Tolerance.of(DType.FLOAT32, 1),
                (b, o) -> b.unary(b == UNDER_TEST ? UnaryOp.SQUARE : UnaryOp.EXP, o[0], o[1], 0)));
        assertTrue(e.getMessage().startsWith("exp, output 0: not close"), e.getMessage());
        assertTrue(e.getMessage().contains("at index [0, 0]"), e.getMessage());
    }

    @Test
    void writingOutsideTheOutputViewFails() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> new Probe().check("exp", operands(), new int[] {1},
                BackendConformanceSuite.Tolerance.of(DType.FLOAT32, 1), (b, o) -> {
                    b.unary(UnaryOp.EXP, o[0], o[1], 0);
                    if (b == UNDER_TEST) {
                        b.fill(new Operand(o[1].storage(), Layout.contiguous(Shape.of(1))), 42);
                    }
                }));
        assertTrue(e.getMessage().contains("whole storage"), e.getMessage());
    }

    @Test
    void identicalResultsPass() {
        new Probe().check("exp", operands(), new int[] {1}, BackendConformanceSuite.Tolerance.of(DType.FLOAT32, 1),
                (b, o) -> b.unary(UnaryOp.EXP, o[0], o[1], 0));
    }
}
