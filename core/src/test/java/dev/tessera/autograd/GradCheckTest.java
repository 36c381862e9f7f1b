package dev.tessera.autograd;

import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.testing.GradCheck;
import dev.tessera.testing.OpCatalog;
import dev.tessera.testing.OpSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The float64 gradient check of every differentiable op in the catalog, on the naive backend. */
class GradCheckTest {
    private static final List<OpSpec> CHECKED = OpCatalog.differentiable();

    @TestFactory
    Stream<DynamicTest> everyDifferentiableOpMatchesCentralDifferences() {
        return CHECKED.stream().map(spec -> dynamicTest(spec.toString(), () -> GradCheck.check(spec, spec.name().hashCode())));
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
