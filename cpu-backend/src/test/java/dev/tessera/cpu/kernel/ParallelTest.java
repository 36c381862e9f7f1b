package dev.tessera.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.cpu.CpuBackend;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Kernels split work across threads only above the size threshold, and the split really runs concurrently. */
class ParallelTest {
    private final int before = CpuBackend.threads();

    @AfterEach
    void restoreThreads() {
        CpuBackend.setThreads(before);
    }

    @Test
    void belowTheGrainARangeRunsWhole() {
        CpuBackend.setThreads(2);
        List<long[]> ranges = new CopyOnWriteArrayList<>();
        Parallel.forRange(Parallel.GRAIN * 2 - 1, (s, e) -> ranges.add(new long[] {s, e}));
        assertEquals(1, ranges.size());
        assertEquals(Parallel.GRAIN * 2 - 1, ranges.get(0)[1]);
    }

    @Test
    void aboveTheGrainRangesRunAtTheSameTimeAndCoverEveryElement() throws InterruptedException {
        CpuBackend.setThreads(2);
        long n = Parallel.GRAIN * 4 + 3;
        CountDownLatch bothStarted = new CountDownLatch(2);
        List<long[]> ranges = new CopyOnWriteArrayList<>();
        List<Boolean> metEachOther = new CopyOnWriteArrayList<>();
        Parallel.forRange(n, (s, e) -> {
            ranges.add(new long[] {s, e});
            bothStarted.countDown();
            try {
                // NOTE: a sequential split would wait here for a second range that never starts alongside.
                metEachOther.add(bothStarted.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        assertEquals(List.of(true, true), metEachOther);
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        assertEquals(0, ranges.get(0)[0]);
        assertEquals(ranges.get(0)[1], ranges.get(1)[0]);
        assertEquals(n, ranges.get(1)[1]);
        assertTrue(ranges.get(0)[1] - ranges.get(0)[0] >= Parallel.GRAIN);
    }

    @Test
    void aFailingTaskIsRethrownAndTheRestAreSkippedWithoutHanging() {
        CpuBackend.setThreads(2);
        for (int trial = 0; trial < 200; trial++) {
            java.util.concurrent.atomic.AtomicInteger ran = new java.util.concurrent.atomic.AtomicInteger();
            IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> Parallel.forTasks(64, i -> {
                        ran.incrementAndGet();
                        if (i == 3) {
                            throw new IllegalStateException("task 3 failed");
                        }
                    }));
            assertEquals("task 3 failed", e.getMessage());
            // NOTE: a worker may claim task 3 before the caller reaches task 2, which is then skipped.
            assertTrue(ran.get() >= 1 && ran.get() <= 64, "tasks run: " + ran.get());
        }
        List<Integer> all = new CopyOnWriteArrayList<>();
        Parallel.forTasks(64, all::add);
        assertEquals(64, all.stream().distinct().count());
    }
}
