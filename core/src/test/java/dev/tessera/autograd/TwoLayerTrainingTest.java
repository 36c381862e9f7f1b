package dev.tessera.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

class TwoLayerTrainingTest {

    @Test
    void twoLayerNetworkFitsANonlinearFunction() {
        Generator gen = new Generator(1);
        Tensor x = Tensor.uniform(gen, Shape.of(64, 2), -1, 1, DType.FLOAT64, Device.cpu());
        Tensor y = x.select(1, 0).mul(x.select(1, 1)).unsqueeze(1);
        Tensor w1 = Tensor.normal(gen, Shape.of(2, 16), 0, 0.5, DType.FLOAT64, Device.cpu()).requiresGrad(true);
        Tensor b1 = Tensor.zeros(Shape.of(16), DType.FLOAT64, Device.cpu()).requiresGrad(true);
        Tensor w2 = Tensor.normal(gen, Shape.of(16, 1), 0, 0.5, DType.FLOAT64, Device.cpu()).requiresGrad(true);
        double first = 0;
        double last = 0;
        for (int step = 0; step < 300; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor loss = x.matmul(w1).add(b1).tanh().matmul(w2).sub(y).square().mean();
                loss.backward();
                try (Grad g = Grad.disabled()) {
                    for (Tensor p : new Tensor[] {w1, b1, w2}) {
                        p.subInPlace(p.grad().mul(0.5));
                        p.zeroGrad();
                    }
                }
                if (step == 0) {
                    first = loss.item();
                }
                last = loss.item();
            }
        }
        assertTrue(last < first * 0.2, "loss went from " + first + " to " + last);
    }
}
