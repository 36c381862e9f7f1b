package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import dev.tessera.zoo.ResNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Children made by a lazy build take the mode that train() or eval() set before the first call. */
class ModeInheritanceTest {

    @Test
    void evalBeforeTheFirstCallReachesChildrenBuiltLazily() {
        ResNet net = ResNet.resnet18(10);
        net.seed(2);
        net.eval();
        net.call(Tensor.randn(new Generator(3), 2, 32, 32, 3));
        List<Module> all = modules(net);
        assertEquals(0, all.stream().filter(Module::isTraining).count(), "modules left in training mode");
        // inference used the moving statistics and left them at their initial zeros and ones
        for (Map.Entry<String, Parameter> e : net.namedParameters().entrySet()) {
            if (e.getKey().endsWith("moving_mean")) {
                float[] v = e.getValue().value().toFloatArray();
                assertArrayEquals(new float[v.length], v, e.getKey());
            }
        }
    }

    @Test
    void aDryRunForTheOutputShapeLeavesLaterChildrenInTrainingMode() {
        ResNet net = ResNet.resnet18(10);
        assertEquals(Shape.of(1, 10), net.computeOutputShape(Shape.of(1, 32, 32, 3)));
        List<Module> all = modules(net);
        assertEquals(all.size(), all.stream().filter(Module::isTraining).count(), "modules left in inference mode");
    }

    private static List<Module> modules(Module m) {
        List<Module> out = new ArrayList<>();
        out.add(m);
        for (Module c : m.children().values()) {
            out.addAll(modules(c));
        }
        return out;
    }
}
