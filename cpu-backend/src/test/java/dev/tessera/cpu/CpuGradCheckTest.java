package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.Device;
import dev.tessera.backend.Backends;
import dev.tessera.testing.GradCheck;
import dev.tessera.testing.OpCatalog;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The float64 gradient check of every differentiable catalog op, with the CPU backend's kernels doing forward and backward. */
class CpuGradCheckTest {

    @TestFactory
    Stream<DynamicTest> everyDifferentiableOpMatchesCentralDifferencesOnTheCpuBackend() {
        assertSame(CpuBackend.instance(), Backends.forDevice(Device.cpu()), "the gradient check must run on CpuBackend");
        return OpCatalog.differentiable().stream()
                .map(spec -> dynamicTest(spec.toString(), () -> GradCheck.check(spec, spec.name().hashCode())));
    }
}
