package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.backend.Storage;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;

/**
 * The memory check of a training loop: small two-layer steps (forward, backward, SGD update), each
 * in its own {@link MemoryScope}, must leave the process's live storage bytes and the per-step peak
 * flat. Shared so that each backend runs it on its own storage.
 */
public final class TrainingMemory {
    private TrainingMemory() {
    }

    /** Waits until storages abandoned by earlier tests have been collected, so that they cannot move the count later. */
    private static void settle() throws InterruptedException {
        long before = -1;
        for (int i = 0; i < 20 && Storage.liveBytes() != before; i++) {
            before = Storage.liveBytes();
            System.gc();
            Thread.sleep(20);
        }
    }

    /** Runs {@code steps} (> 101) scoped steps on the CPU device and asserts that live and peak bytes stay flat after step 100. */
    public static void assertFlat(int steps) throws InterruptedException {
        Generator gen = new Generator(3);
        Device cpu = Device.cpu();
        Tensor x = Tensor.uniform(gen, Shape.of(4, 3), -1, 1, DType.FLOAT32, cpu);
        Tensor y = Tensor.uniform(gen, Shape.of(4, 1), -1, 1, DType.FLOAT32, cpu);
        Tensor w1 = Tensor.normal(gen, Shape.of(3, 5), 0, 0.5, DType.FLOAT32, cpu).requiresGrad(true);
        Tensor b1 = Tensor.zeros(Shape.of(5), DType.FLOAT32, cpu).requiresGrad(true);
        Tensor w2 = Tensor.normal(gen, Shape.of(5, 1), 0, 0.5, DType.FLOAT32, cpu).requiresGrad(true);
        Tensor[] params = {w1, b1, w2};
        settle();
        long liveAt100 = 0;
        long stepPeak = 0;
        for (int step = 1; step <= steps; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor loss = x.matmul(w1).add(b1).relu().matmul(w2).sub(y).square().mean();
                loss.backward();
                try (Grad ignored = Grad.disabled()) {
                    for (Tensor p : params) {
                        p.subInPlace(p.grad().mul(0.05));
                        p.zeroGrad();
                    }
                }
            }
            // NOTE: no System.gc() here: only the scopes may free this loop's tensors, so a leak shows as growth.
            if (step == 100) {
                liveAt100 = Storage.liveBytes();
                Storage.resetPeak();
            } else if (step == 101) {
                stepPeak = Storage.peakBytes();
                Storage.resetPeak();
            }
        }
        // NOTE: live bytes are process-wide; the GC may free other tests' garbage during the loop, so the
        // count can only fall by chance, while a leak of this loop would grow it by thousands of steps' worth.
        long live = Storage.liveBytes();
        assertTrue(live <= liveAt100, "live bytes grew from " + liveAt100 + " after step 100 to " + live + " after step " + steps);
        long peak = Storage.peakBytes();
        assertTrue(peak <= stepPeak, "peak of steps 102 to " + steps + " (" + peak + ") exceeds the peak of step 101 (" + stepPeak + ")");
        assertTrue(stepPeak > liveAt100, "a step allocated nothing, so the check measured nothing");
        for (Tensor p : params) {
            assertFalse(p.isClosed());
        }
    }
}
