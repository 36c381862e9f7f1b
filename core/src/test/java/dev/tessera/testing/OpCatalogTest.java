package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.DType;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every catalog op runs in FLOAT32 and agrees with its FLOAT64 result; entries are unique. */
class OpCatalogTest {

    @TestFactory
    Stream<DynamicTest> everyOpGivesTheSameResultInFloat32AndFloat64() {
        return OpCatalog.all().stream().map(spec -> dynamicTest(spec.toString(), () -> {
            try (Grad ignored = Grad.disabled(); MemoryScope scope = MemoryScope.open()) {
                Tensor[] x64 = spec.inputs(DType.FLOAT64, new SplittableRandom(spec.name().hashCode()));
                Tensor[] x32 = new Tensor[x64.length];
                for (int i = 0; i < x64.length; i++) {
                    x32[i] = x64[i].to(DType.FLOAT32);
                    x64[i] = x32[i].to(DType.FLOAT64);
                }
                Tensor y32 = spec.apply(x32);
                Tensor y64 = spec.apply(x64);
                TensorAssert.assertClose(y32, y64, 1e-5, 1e-5);
            }
        }));
    }

    @Test
    void namesAreUniqueAndMostOpsHaveGradients() {
        List<OpSpec> all = OpCatalog.all();
        Set<String> names = new HashSet<>();
        for (OpSpec s : all) {
            assertTrue(names.add(s.name()), "duplicate catalog entry " + s.name());
        }
        assertTrue(OpCatalog.differentiable().size() > 100, "differentiable entries: " + OpCatalog.differentiable().size());
    }
}
