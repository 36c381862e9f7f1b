package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import dev.tessera.backend.Storage;
import dev.tessera.memory.MemoryScope;
import dev.tessera.testing.TrainingMemory;
import org.junit.jupiter.api.Test;

/** The scoped training-loop memory check on CpuBackend, whose storages are off-heap. */
class CpuMemoryTest {

    @Test
    void offHeapLiveBytesStayFlatOverTenThousandTrainingSteps() throws InterruptedException {
        try (Tensor probe = Tensor.ones(1)) {
            assertInstanceOf(CpuStorage.class, probe.storage(), "the check must run on off-heap CpuStorage");
        }
        TrainingMemory.assertFlat(10_000);
    }

    @Test
    void backwardFreesEachGradientOnceConsumed() {
        long mib = 1 << 20;
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor x = Tensor.ones(256, 1024).requiresGrad(true);
            Tensor y = x;
            for (int i = 0; i < 40; i++) {
                y = y.mul(1.5).relu().add(0.25);
            }
            Tensor loss = y.sum();
            long beforeBackward = Storage.liveBytes();
            Storage.resetPeak();
            loss.backward();
            long extra = Storage.peakBytes() - beforeBackward;
            // 120 recorded ops over 1 MiB activations: keeping every gradient and relu mask would add
            // well over 100 MiB; freeing as it goes holds a few at a time.
            assertTrue(extra < 8 * mib, "backward held " + extra / mib + " MiB above the forward pass");
            float[] expected = new float[256 * 1024];
            java.util.Arrays.fill(expected, (float) Math.pow(1.5, 40));
            assertArrayEquals(expected, x.grad().toFloatArray(), 1e-3f * expected[0]);
        }
    }
}
