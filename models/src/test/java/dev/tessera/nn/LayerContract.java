package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.io.Safetensors;
import dev.tessera.random.Generator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checks every layer must pass, after Keras' run_layer_test: the output shape agrees with
 * computeOutputShape, the parameter count is Keras', every input and trainable parameter gets a
 * gradient of its own shape (non-trainable ones none), one hand-written SGD step changes the
 * output, inference mode is deterministic, and the weights survive a safetensors round trip.
 */
final class LayerContract {
    private LayerContract() {
    }

    /** Runs every check on a fresh layer for inputs of these shapes (batch included); returns the training-mode output. */
    static Tensor check(Module layer, long expectedParams, Shape... inputShapes) {
        Generator gen = new Generator(1234);
        Tensor[] inputs = new Tensor[inputShapes.length];
        for (int i = 0; i < inputs.length; i++) {
            inputs[i] = Tensor.normal(gen, inputShapes[i], 0, 1, layer.dtype(), Device.cpu()).requiresGrad(true);
        }
        layer.train();
        Tensor out = layer.call(inputs);
        assertEquals(layer.computeOutputShape(inputShapes), out.shape(), layer + ": output shape");
        assertEquals(expectedParams, Summary.count(layer, null), layer + ": parameter count");

        Tensor upstream = Tensor.normal(gen, out.shape(), 0, 1, out.dtype(), Device.cpu());
        out.mul(upstream).sum().backward();
        for (Tensor x : inputs) {
            assertNotNull(x.grad(), layer + ": input gradient");
            assertEquals(x.shape(), x.grad().shape(), layer + ": input gradient shape");
        }
        for (Map.Entry<String, Parameter> e : layer.namedParameters().entrySet()) {
            Parameter p = e.getValue();
            if (p.isTrainable()) {
                assertNotNull(p.grad(), layer + ": gradient of " + e.getKey());
                assertEquals(p.value().shape(), p.grad().shape(), layer + ": gradient shape of " + e.getKey());
            } else {
                assertNull(p.grad(), layer + ": non-trainable " + e.getKey() + " got a gradient");
            }
        }

        layer.eval();
        double[] before = evalOutput(layer, inputs);
        assertArrayEquals(before, evalOutput(layer, inputs), layer + ": inference mode must be deterministic");
        if (!layer.trainableParameters().isEmpty()) {
            try (Grad ignored = Grad.disabled()) {
                for (Parameter p : layer.trainableParameters()) {
                    p.value().subInPlace(p.grad().mul(0.1));
                    p.value().zeroGrad();
                }
            }
            assertFalse(Arrays.equals(before, evalOutput(layer, inputs)), layer + ": an SGD step must change the output");
        }
        roundTrip(layer, inputs);
        layer.train();
        return out;
    }

    private static double[] evalOutput(Module layer, Tensor[] inputs) {
        try (Grad ignored = Grad.disabled()) {
            return layer.call(inputs).toDoubleArray();
        }
    }

    /** Saves the weights, overwrites them, loads them back and expects the same inference output. */
    private static void roundTrip(Module layer, Tensor[] inputs) {
        if (layer.namedParameters().isEmpty()) {
            return;
        }
        double[] expected = evalOutput(layer, inputs);
        try {
            Path file = Files.createTempFile("layer-contract", ".safetensors");
            try {
                Map<String, Tensor> weights = new LinkedHashMap<>();
                layer.namedParameters().forEach((name, p) -> weights.put(name, p.value()));
                Safetensors.write(file, weights);
                try (Grad ignored = Grad.disabled()) {
                    layer.namedParameters().values().forEach(p -> p.value().fill(0.5));
                }
                Map<String, Tensor> loaded = Safetensors.load(file);
                assertEquals(weights.keySet(), loaded.keySet(), layer + ": saved names");
                layer.namedParameters().forEach((name, p) -> p.assign(loaded.get(name)));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new AssertionError(layer + ": safetensors round trip failed", e);
        }
        assertArrayEquals(expected, evalOutput(layer, inputs), layer + ": output after reloading the weights");
        assertTrue(layer.isBuilt());
    }
}
