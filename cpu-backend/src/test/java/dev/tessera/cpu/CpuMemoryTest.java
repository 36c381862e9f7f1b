package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.tessera.Tensor;
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
}
