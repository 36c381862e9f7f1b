package dev.tessera.autograd;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.testing.GradCheck;
import dev.tessera.testing.OpCatalog;
import dev.tessera.testing.OpSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The float64 gradient check of every differentiable op in the catalog, on the naive backend. */
class GradCheckTest {
    private static final List<OpSpec> CHECKED = OpCatalog.differentiable();

    @TestFactory
    Stream<DynamicTest> everyDifferentiableOpMatchesCentralDifferences() {
        return CHECKED.stream().map(spec -> dynamicTest(spec.toString(), () -> GradCheck.check(spec, spec.name().hashCode())));
    }

    /** Not in the catalog, which every backend runs on its one device: the naive provider serves a second CPU device. */
    @Test
    void copyToAnotherDeviceAndBackMatchesCentralDifferences() {
        Device other = new Device(Device.Kind.CPU, 1);
        GradCheck.check(OpSpec.of("to(Device) and back", x -> x[0].to(other).square().to(Device.cpu()), Shape.of(3, 4)), 17);
    }

    @AfterAll
    static void listCheckedOps() {
        StringBuilder sb = new StringBuilder("gradient-checked ops (" + CHECKED.size() + "):");
        for (OpSpec s : CHECKED) {
            sb.append("\n  ").append(s);
        }
        System.out.println(sb);
    }
}
