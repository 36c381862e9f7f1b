package dev.tessera.loss;

import static dev.tessera.train.Fixtures.assertRelativeError;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.train.Fixtures;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import java.util.stream.Stream;

/** Each loss's value and gradient against PyTorch (Keras' formulas), in float64 and float32. */
class LossGoldenTest {
    private static Map<String, Tensor> golden;

    @BeforeAll
    static void load() {
        golden = Fixtures.golden("losses");
    }

    @AfterAll
    static void free() {
        golden.values().forEach(Tensor::close);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("sparse_logits", new SparseCategoricalCrossentropy(true)),
                Arguments.of("sparse_probs", new SparseCategoricalCrossentropy(false)),
                Arguments.of("categorical_logits", new CategoricalCrossentropy(true)),
                Arguments.of("categorical_probs", new CategoricalCrossentropy(false)),
                Arguments.of("binary_logits", new BinaryCrossentropy(true)),
                Arguments.of("binary_probs", new BinaryCrossentropy(false)),
                Arguments.of("mse", new MeanSquaredError()),
                Arguments.of("temporal", new TemporalCrossentropy()));
    }

    @ParameterizedTest(name = "{0} float64")
    @MethodSource("cases")
    void matchesPyTorchInFloat64(String name, Loss loss) {
        check(name, loss, DType.FLOAT64, 1e-10);
    }

    @ParameterizedTest(name = "{0} float32")
    @MethodSource("cases")
    void matchesPyTorchInFloat32(String name, Loss loss) {
        check(name, loss, DType.FLOAT32, 1e-5);
    }

    private static void check(String name, Loss loss, DType dtype, double rtol) {
        Tensor pred = golden.get(name + "/pred").to(dtype).copy().requiresGrad(true);
        Tensor target = golden.get(name + "/target");
        if (target.dtype().isFloating()) {
            target = target.to(dtype);
        }
        Tensor mask = golden.get(name + "/mask");
        Tensor value = loss instanceof TemporalCrossentropy t && mask != null
                ? t.apply(pred, target, mask.to(dtype))
                : loss.apply(pred, target);
        value.backward();
        assertRelativeError(value, golden.get(name + "/loss"), rtol, name + " loss");
        assertRelativeError(pred.grad(), golden.get(name + "/grad"), rtol, name + " gradient");
        pred.zeroGrad();
    }
}
