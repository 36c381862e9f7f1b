package dev.tessera.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.io.Safetensors;
import dev.tessera.memory.MemoryScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/** Test support: golden fixtures written by src/test/python/make_golden_train.py and a relative-error check. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Reads golden/{name}.safetensors from the test resources; the tensors live until closed. */
    public static Map<String, Tensor> golden(String name) {
        try {
            Path p = Path.of(Fixtures.class.getResource("/golden/" + name + ".safetensors").toURI());
            return MemoryScope.unscoped(() -> {
                try {
                    return Safetensors.load(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Fails unless ‖actual − expected‖ / ‖expected‖ ≤ rtol (norms over all elements, computed in double). */
    public static void assertRelativeError(Tensor actual, Tensor expected, double rtol, String what) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            diff += (a[i] - e[i]) * (a[i] - e[i]);
            norm += e[i] * e[i];
        }
        double rel = norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
        assertTrue(rel <= rtol, what + ": relative error " + rel + " exceeds " + rtol);
    }
}
