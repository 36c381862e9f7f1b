package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/**
 * A fixture written by src/test/python/make_golden_rnn.py (float64 reference values from PyTorch)
 * and the comparison ||ours - ref|| / ||ref|| the golden tests use.
 */
final class Golden {
    private final String name;
    private final Map<String, Tensor> tensors;
    private final DType dtype;

    private Golden(String name, Map<String, Tensor> tensors, DType dtype) {
        this.name = name;
        this.tensors = tensors;
        this.dtype = dtype;
    }

    /** Loads golden/NAME.safetensors; floating tensors are handed out in {@code dtype}. */
    static Golden load(String name, DType dtype) {
        URL url = Golden.class.getResource("/golden/" + name + ".safetensors");
        assertNotNull(url, "missing fixture golden/" + name + ".safetensors");
        try {
            return new Golden(name, Safetensors.load(Path.of(url.toURI())), dtype);
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read fixture " + name, e);
        }
    }

    /** The relative-error bound for a dtype: 1e-5 in float32, 1e-10 in float64. */
    static double tolerance(DType dtype) {
        return dtype == DType.FLOAT64 ? 1e-10 : 1e-5;
    }

    /** A fixture tensor, floating ones cast to the test's dtype (a fresh leaf). */
    Tensor get(String key) {
        Tensor t = tensors.get(key);
        assertNotNull(t, name + ": fixture has no tensor " + key);
        return t.dtype().isFloating() ? t.to(dtype).copy() : t;
    }

    /** A fixture tensor as a leaf that records its gradient. */
    Tensor input(String key) {
        return get(key).requiresGrad(true);
    }

    /** Copies the fixture tensor {@code key} into a parameter. */
    void assign(Parameter p, String key) {
        p.assign(get(key));
    }

    /** sum(out * g_key): back-propagating it gives every gradient against the fixture's upstream gradient. */
    Tensor loss(String key, Tensor out) {
        return out.mul(get("g_" + key)).sum();
    }

    /** Asserts that {@code ours} matches the reference {@code key} within the dtype's relative bound. */
    void check(String key, Tensor ours) {
        assertNotNull(ours, name + "/" + key + ": no value (a missing gradient?)");
        Tensor ref = tensors.get(key);
        assertNotNull(ref, name + ": fixture has no tensor " + key);
        assertEquals(ref.shape(), ours.shape(), name + "/" + key + ": shape");
        double[] a = ours.toDoubleArray();
        double[] b = ref.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - b[i]) * (a[i] - b[i]);
            norm += b[i] * b[i];
        }
        // NOTE: a reference that is zero in exact arithmetic (the key bias's gradient in attention:
        // softmax ignores a per-row shift) holds only rounding noise, so it is compared absolutely.
        double rel = Math.sqrt(diff) / (Math.sqrt(norm) > 1e-6 ? Math.sqrt(norm) : 1.0);
        assertTrue(rel <= tolerance(dtype), name + "/" + key + " in " + dtype + ": relative error " + rel
                + " exceeds " + tolerance(dtype));
    }
}
