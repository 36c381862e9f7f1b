package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import dev.tessera.ops.Padding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Layers against PyTorch: the fixtures in resources/golden were written by
 * src/test/python/make_golden_layers.py. Outputs, input gradients, weight gradients and updated
 * state must agree within ||ours - ref|| / ||ref|| <= 1e-5 in float32 and 1e-10 in float64.
 */
class GoldenLayerTest {

    private record Case(String fixture, Supplier<Module> layer, boolean training, String... inputs) {
    }

    private static final List<Case> CASES = List.of(
            new Case("dense", () -> new Dense(4), true, "x"),
            new Case("conv2d_same_stride2", () -> new Conv2D(6, 4).strides(2).padding(Padding.SAME), true, "x"),
            new Case("conv2d_transpose_same_stride2", () -> new Conv2DTranspose(5, 3).strides(2).padding(Padding.SAME),
                    true, "x"),
            new Case("conv2d_transpose_valid_stride3", () -> new Conv2DTranspose(4, 2).strides(3), true, "x"),
            new Case("conv2d_valid_dilated_relu", () -> new Conv2D(3, 3).dilation(2).activation(Activation.RELU),
                    true, "x"),
            new Case("average_pooling_same", () -> new AveragePooling2D(3).strides(2).padding(Padding.SAME), true, "x"),
            new Case("max_pooling_valid", MaxPooling2D::new, true, "x"),
            new Case("batchnorm_training", BatchNormalization::new, true, "x"),
            new Case("batchnorm_inference", BatchNormalization::new, false, "x"),
            new Case("layernorm", LayerNormalization::new, true, "x"),
            new Case("film", FiLM::new, true, "x", "q"));

    @TestFactory
    Stream<DynamicTest> layersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : CASES) {
            tests.add(DynamicTest.dynamicTest(c.fixture() + " float32", () -> check(c, DType.FLOAT32, 1e-5)));
            tests.add(DynamicTest.dynamicTest(c.fixture() + " float64", () -> check(c, DType.FLOAT64, 1e-10)));
        }
        return tests.stream();
    }

    private static void check(Case c, DType dtype, double tolerance) throws IOException {
        Map<String, Tensor> ref = load(c.fixture());
        Module layer = c.layer().get();
        layer.dtype(dtype);
        Tensor[] inputs = new Tensor[c.inputs().length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = ref.get(c.inputs()[i]).to(dtype).copy().requiresGrad(true);
        }
        layer.buildFor(Layers.shapes(inputs));
        layer.namedParameters().forEach((name, p) -> p.assign(ref.get(name)));
        if (c.training()) {
            layer.train();
        } else {
            layer.eval();
        }
        Tensor y = layer.call(inputs);
        y.backward(ref.get("dy").to(dtype));

        String what = c.fixture() + " " + dtype;
        assertClose(what + " output", y, ref.get("y"), tolerance);
        for (int i = 0; i < inputs.length; i++) {
            assertClose(what + " gradient of " + c.inputs()[i], inputs[i].grad(), ref.get("grad/" + c.inputs()[i]), tolerance);
        }
        layer.namedParameters().forEach((name, p) -> {
            if (p.isTrainable()) {
                assertClose(what + " gradient of " + name, p.grad(), ref.get("grad/" + name), tolerance);
            } else if (ref.containsKey("after/" + name)) {
                assertClose(what + " " + name + " after the call", p.value(), ref.get("after/" + name), tolerance);
            }
        });
    }

    private static Map<String, Tensor> load(String fixture) throws IOException {
        try (InputStream in = GoldenLayerTest.class.getResourceAsStream("/golden/" + fixture + ".safetensors")) {
            assertNotNull(in, "missing fixture " + fixture + "; run src/test/python/make_golden_layers.py");
            Path tmp = Files.createTempFile(fixture, ".safetensors");
            try {
                Files.write(tmp, in.readAllBytes());
                return Safetensors.load(tmp);
            } finally {
                Files.delete(tmp);
            }
        }
    }

    /** ||actual - expected|| / ||expected|| <= tolerance, computed in float64. */
    static void assertClose(String what, Tensor actual, Tensor expected, double tolerance) {
        assertNotNull(actual, what + ": missing");
        assertTrue(actual.shape().equals(expected.shape()), what + ": shape " + actual.shape() + " vs " + expected.shape());
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - e[i]) * (a[i] - e[i]);
            norm += e[i] * e[i];
        }
        double rel = Math.sqrt(diff) / Math.max(Math.sqrt(norm), Double.MIN_NORMAL);
        assertTrue(rel <= tolerance, what + ": relative error " + rel + " > " + tolerance);
    }
}
