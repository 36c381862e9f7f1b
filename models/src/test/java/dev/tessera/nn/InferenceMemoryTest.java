package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.backend.Storage;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/** Without gradient recording a module call frees its temporaries as it returns; with it they stay for backward. */
class InferenceMemoryTest {

    private static Sequential mlp() {
        Sequential m = new Sequential(new Dense(64).activation(Activation.RELU), new Dense(64).activation(Activation.TANH),
                new Dense(10));
        m.seed(3);
        m.buildFor(Shape.of(32, 100));
        return m;
    }

    @Test
    void aCallWithoutGradientsLeavesOnlyItsResult() {
        Sequential m = mlp();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.randn(new Generator(1), 32, 100);
            double[] expected;
            try (MemoryScope inner = MemoryScope.open()) {
                expected = m.call(x).toDoubleArray();
            }
            long before = Storage.liveBytes();
            Tensor y;
            try (Grad off = Grad.disabled()) {
                y = m.call(x);
            }
            assertEquals(32L * 10 * Float.BYTES, Storage.liveBytes() - before, "only the (32, 10) result stays");
            assertArrayEquals(expected, y.toDoubleArray(), "same values as with gradients recorded");
            assertFalse(x.isClosed());
        }
    }

    @Test
    void backwardFreesTheIntermediatesOfTheCallsItPasses() {
        Sequential m = mlp();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.randn(new Generator(1), 32, 100);
            long before = Storage.liveBytes();
            Tensor y = m.call(x);
            Tensor loss = y.sum();
            y.sum().backward();
            long gradients = m.parameters().stream().mapToLong(p -> p.value().grad().numel() * Float.BYTES).sum();
            assertEquals(32L * 10 * Float.BYTES + 3L * Float.BYTES + gradients, Storage.liveBytes() - before,
                    "the result, two sums, the seed gradient and the parameters' gradients stay; every activation inside went");
            assertEquals(y.sum().item(), loss.item(), 0, "the call's result stays usable");
        }
    }

    @Test
    void aSecondBackwardThroughFreedIntermediatesSaysWhy() {
        Sequential m = mlp();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor loss = m.call(Tensor.randn(new Generator(1), 32, 100)).sum();
            loss.backward();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    loss::backward);
            assertTrue(e.getMessage().contains("intermediate of a module's forward pass"), e.getMessage());
        }
    }

    @Test
    void aCallWithGradientsKeepsWhatBackwardNeeds() {
        Sequential m = mlp();
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.randn(new Generator(1), 32, 100);
            long before = Storage.liveBytes();
            Tensor y = m.call(x);
            assertTrue(Storage.liveBytes() - before > 32L * 10 * Float.BYTES, "intermediates stay for backward");
            y.sum().backward();
            assertTrue(m.parameters().stream().allMatch(p -> p.value().grad() != null));
        }
    }

    @Test
    void aLayerThatReturnsItsInputLeavesItOpen() {
        Dropout d = new Dropout(0.5);
        d.eval();
        try (MemoryScope scope = MemoryScope.open(); Grad off = Grad.disabled()) {
            Tensor x = Tensor.ones(4, 3);
            Tensor y = d.call(x);
            assertSame(x, y);
            assertFalse(y.isClosed());
            assertEquals(12.0, y.sum().item(), 0.0);
        }
    }
}
