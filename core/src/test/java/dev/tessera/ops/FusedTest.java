package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.backend.AdamSpec;
import org.junit.jupiter.api.Test;

/** The Tensor-level Adam step: the same result as Adam written with Tensor ops, on any parameter layout. */
class FusedTest {
    private static final AdamSpec SPEC = new AdamSpec(0.01, 0.9, 0.999, 1e-7, 3);

    private static double[] byTensorOps(Tensor w, Tensor g, Tensor m, Tensor v) {
        Tensor m2 = m.add(g.sub(m).mul(1 - SPEC.beta1()));
        Tensor v2 = v.add(g.square().sub(v).mul(1 - SPEC.beta2()));
        return w.sub(m2.mul(SPEC.stepSize()).div(v2.sqrt().add(SPEC.epsilon()))).toDoubleArray();
    }

    @Test
    void transposedParameterGetsTheSameStepAsTensorOps() {
        Tensor w = Tensor.of(new double[] {0.5, -1, 2, 0.25, 3, -0.75}, 2, 3).transpose(0, 1);
        Tensor g = Tensor.of(new double[] {0.1, 0.2, -0.3, 0.4, -0.5, 0.6}, 3, 2);
        Tensor m = Tensor.of(new double[] {0.01, -0.02, 0.03, 0.0, 0.05, -0.06}, 3, 2);
        Tensor v = Tensor.of(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, 3, 2);
        double[] expected = byTensorOps(w, g, m, v);
        w.adamUpdateInPlace(g, m, v, SPEC);
        assertArrayEquals(expected, w.toDoubleArray(), 1e-15);
    }

    @Test
    void scalarGradientIsBroadcastToTheParameter() {
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor m = Tensor.of(new double[] {0, 0, 0}, 3);
        Tensor v = Tensor.of(new double[] {0, 0, 0}, 3);
        double[] expected = byTensorOps(w, Tensor.of(new double[] {0.5, 0.5, 0.5}, 3), m, v);
        w.adamUpdateInPlace(Tensor.of(new double[] {0.5}, 1), m, v, SPEC);
        assertArrayEquals(expected, w.toDoubleArray(), 1e-15);
    }

    @Test
    void mismatchedMomentShapeIsRefusedNamingBothShapes() {
        Tensor w = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor bad = Tensor.of(new double[] {0, 0}, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> w.adamUpdateInPlace(w.zerosLike(), bad, w.zerosLike(), SPEC));
        assertTrue(e.getMessage().startsWith("adamUpdate: moment shape") && e.getMessage().contains("(2,)"), e.getMessage());
    }

    @Test
    void specRejectsStepZeroAndBetaOne() {
        assertThrows(IllegalArgumentException.class, () -> new AdamSpec(0.1, 0.9, 0.999, 1e-7, 0));
        assertThrows(IllegalArgumentException.class, () -> new AdamSpec(0.1, 1.0, 0.999, 1e-7, 1));
    }
}
