package dev.tessera.optim;

import static dev.tessera.train.Fixtures.assertRelativeError;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.nn.Parameter;
import dev.tessera.train.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Ten steps of each optimizer on y = x W + b with a squared-error loss, against the parameters
 * PyTorch computed after every step (SGD with torch.optim.SGD; Adam, AdamW and RMSprop with
 * Keras' formulas written out in the script).
 */
class OptimizerGoldenTest {
    private static Map<String, Tensor> golden;

    @BeforeAll
    static void load() {
        golden = Fixtures.golden("optimizers");
    }

    @AfterAll
    static void free() {
        golden.values().forEach(Tensor::close);
    }

    static Stream<Arguments> cases() {
        Function<List<Parameter>, Optimizer> sgd = ps -> new Sgd(ps, LearningRateSchedule.constant(0.1), 0.9);
        Function<List<Parameter>, Optimizer> nesterov = ps -> new Sgd(ps, LearningRateSchedule.constant(0.1), 0.9).nesterov(true);
        Function<List<Parameter>, Optimizer> adam = ps -> new Adam(ps, LearningRateSchedule.constant(0.01));
        Function<List<Parameter>, Optimizer> rms = ps -> new RmsProp(ps, LearningRateSchedule.constant(0.01));
        Function<List<Parameter>, Optimizer> adamw = ps -> new AdamW(ps, LearningRateSchedule.constant(0.01), 0.1);
        return Stream.of(Arguments.of("sgd_momentum", sgd), Arguments.of("sgd_nesterov", nesterov),
                Arguments.of("adam", adam), Arguments.of("rmsprop", rms), Arguments.of("adamw", adamw));
    }

    @ParameterizedTest(name = "{0} float64")
    @MethodSource("cases")
    void tenStepsMatchPyTorchInFloat64(String name, Function<List<Parameter>, Optimizer> make) {
        run(name, make, DType.FLOAT64, 1e-10);
    }

    @ParameterizedTest(name = "{0} float32")
    @MethodSource("cases")
    void tenStepsMatchPyTorchInFloat32(String name, Function<List<Parameter>, Optimizer> make) {
        run(name, make, DType.FLOAT32, 1e-5);
    }

    private static void run(String name, Function<List<Parameter>, Optimizer> make, DType dtype, double rtol) {
        Tensor x = golden.get("x").to(dtype);
        Tensor y = golden.get("y").to(dtype);
        Parameter w = new Parameter("w", golden.get("w0").to(dtype).copy(), true);
        Parameter b = new Parameter("b", golden.get("b0").to(dtype).copy(), true);
        Optimizer opt = make.apply(List.of(w, b));
        for (int step = 1; step <= 10; step++) {
            Tensor loss = x.matmul(w.value()).add(b.value()).sub(y).square().mean();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            assertRelativeError(w.value(), golden.get(name + "/w/" + step), rtol, name + " w after step " + step);
            assertRelativeError(b.value(), golden.get(name + "/b/" + step), rtol, name + " b after step " + step);
        }
    }
}
