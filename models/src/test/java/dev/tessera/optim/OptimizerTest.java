package dev.tessera.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    private static Parameter param(String name, float... v) {
        return new Parameter(name, Tensor.of(v), true);
    }

    /** Sets the gradient of p to g directly (as backward would). */
    private static void grad(Parameter p, float... g) {
        p.value().setGrad(Tensor.of(g));
    }

    @Test
    void plainSgdSubtractsLearningRateTimesGradient() {
        Parameter p = param("w", 1f, 2f);
        Sgd sgd = new Sgd(List.of(p), LearningRateSchedule.constant(0.5), 0.0);
        grad(p, 1f, -2f);
        sgd.step();
        assertArrayEquals(new float[] {0.5f, 3f}, p.value().toFloatArray());
        assertEquals(1, sgd.iterations());
    }

    @Test
    void frozenParametersAndParametersWithoutGradientAreLeftAlone() {
        Parameter frozen = param("frozen", 1f);
        Parameter idle = param("idle", 1f);
        frozen.setTrainable(false);
        new Sgd(List.of(frozen, idle), LearningRateSchedule.constant(1), 0.0).step();
        assertArrayEquals(new float[] {1f}, frozen.value().toFloatArray());
        assertArrayEquals(new float[] {1f}, idle.value().toFloatArray());
    }

    @Test
    void globalNormClippingScalesAllGradientsTogether() {
        Parameter a = param("a", 0f);
        Parameter b = param("b", 0f);
        Optimizer sgd = new Sgd(List.of(a, b), LearningRateSchedule.constant(1), 0.0).clipByGlobalNorm(1.0);
        grad(a, 3f);
        grad(b, 4f);
        sgd.step();
        assertEquals(-0.6, a.value().item(), 1e-6);
        assertEquals(-0.8, b.value().item(), 1e-6);
    }

    @Test
    void weightDecayIsDecoupledAndScaledByLearningRate() {
        Parameter p = param("w", 2f);
        Optimizer sgd = new Sgd(List.of(p), LearningRateSchedule.constant(0.1), 0.0).weightDecay(0.5);
        grad(p, 0f);
        sgd.step();
        assertEquals(2.0 - 0.1 * 0.5 * 2.0, p.value().item(), 1e-6);
    }

    @Test
    void schedulesFollowKerasAndPyTorchFormulas() {
        LearningRateSchedule step = LearningRateSchedule.stepDecay(1.0, 10, 0.5);
        assertEquals(1.0, step.at(9));
        assertEquals(0.5, step.at(10));
        assertEquals(0.25, step.at(25));
        LearningRateSchedule exp = LearningRateSchedule.exponentialDecay(0.1, 100, 0.96, false);
        assertEquals(0.1 * Math.pow(0.96, 0.5), exp.at(50), 1e-15);
        assertEquals(0.1, LearningRateSchedule.exponentialDecay(0.1, 100, 0.96, true).at(99), 0.0);
        LearningRateSchedule cos = LearningRateSchedule.cosineDecay(1.0, 100, 0.1);
        assertEquals(1.0, cos.at(0), 1e-15);
        assertEquals(0.1 + 0.9 * 0.5, cos.at(50), 1e-12);
        assertEquals(0.1, cos.at(100), 1e-12);
        assertEquals(0.1, cos.at(1000), 1e-12);
    }

    @Test
    void scheduleIsReadAtTheCurrentIteration() {
        Parameter p = param("w", 0f);
        Optimizer sgd = new Sgd(List.of(p), LearningRateSchedule.stepDecay(1.0, 1, 0.5), 0.0);
        for (int i = 0; i < 3; i++) {
            grad(p, 1f);
            sgd.step();
        }
        assertEquals(-(1.0 + 0.5 + 0.25), p.value().item(), 1e-6);
        assertEquals(0.125, sgd.currentLearningRate());
    }

    @Test
    void exportedStateImportsIntoAFreshOptimizerAndContinuesIdentically() {
        Parameter a = param("w", 1f, -1f);
        Parameter b = param("w", 1f, -1f);
        Adam first = new Adam(List.of(a), LearningRateSchedule.constant(0.1));
        for (int i = 0; i < 3; i++) {
            grad(a, 0.3f, -0.7f);
            first.step();
        }
        b.assign(a.value());
        Adam second = new Adam(List.of(b), LearningRateSchedule.constant(0.1));
        second.importState(first.exportState());
        assertEquals(3, second.iterations());
        grad(a, 0.5f, 0.5f);
        grad(b, 0.5f, 0.5f);
        first.step();
        second.step();
        assertArrayEquals(a.value().toFloatArray(), b.value().toFloatArray());
        assertEquals(List.of(Optimizer.ITERATIONS, "w/m", "w/v"), List.copyOf(first.exportState().keySet()));
    }

    @Test
    void mismatchedStateIsRefusedWithoutChangingAnything() {
        Parameter p = param("w", 1f, 2f);
        Adam adam = new Adam(List.of(p), LearningRateSchedule.constant(0.1));
        grad(p, 1f, 1f);
        adam.step();
        float[] m = adam.exportState().get("w/m").toFloatArray();
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put(Optimizer.ITERATIONS, Tensor.of(new long[] {7}));
        bad.put("w/m", Tensor.zeros(3));
        bad.put("nope/v", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> adam.importState(bad));
        assertTrue(e.getMessage().contains("'w/m' is (3,)") && e.getMessage().contains("'nope/v' names no parameter"),
                e.getMessage());
        assertEquals(1, adam.iterations());
        assertArrayEquals(m, adam.exportState().get("w/m").toFloatArray());
    }

    @Test
    void duplicateLocalNamesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Adam(List.of(param("kernel", 1f), param("kernel", 2f)), LearningRateSchedule.constant(0.1)));
        assertTrue(e.getMessage().contains("'kernel'"), e.getMessage());
    }

    @Test
    void badHyperparametersAreRefused() {
        Parameter p = param("w", 1f);
        assertThrows(IllegalArgumentException.class, () -> new Sgd(List.of(p), LearningRateSchedule.constant(0.1), 1.0));
        assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(List.of(p), LearningRateSchedule.constant(0.1)).betas(1.0, 0.9));
    }
}
