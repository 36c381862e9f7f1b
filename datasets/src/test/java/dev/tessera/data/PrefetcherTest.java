package dev.tessera.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Checks prefetching: same order, producer errors reach the consumer, closing stops the thread. */
class PrefetcherTest {

    @Test
    void prefetchKeepsOrderAndCount() {
        Dataset<Long> d = Dataset.range(10_000).map(x -> x * 3).prefetch(4);
        List<Long> got = d.toList();
        assertEquals(10_000, got.size());
        for (int i = 0; i < got.size(); i++) {
            assertEquals(3L * i, got.get(i));
        }
        assertEquals(got, d.toList());
    }

    @Test
    void everyBufferSizeDeliversEachElementOnceInOrder() {
        for (int n : new int[] {1, 2, 3, 100}) {
            assertEquals(Dataset.range(1003).toList(), Dataset.range(1003).prefetch(n).toList(), "prefetch(" + n + ")");
            assertEquals(0, Dataset.range(0).prefetch(n).count());
        }
    }

    @Test
    void producerExceptionReachesConsumerWithItsCause() {
        IllegalArgumentException root = new IllegalArgumentException("root cause");
        Dataset<Long> d = Dataset.range(10).map(x -> {
            if (x == 5) {
                throw new IllegalStateException("element 5 failed", root);
            }
            return x;
        }).prefetch(2);
        List<Long> seen = new ArrayList<>();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.forEach(seen::add));
        assertEquals("element 5 failed", e.getMessage());
        assertSame(root, e.getCause());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), seen);
        assertTrue(e.getSuppressed().length > 0, "the consumer-side stack is attached");
    }

    @Test
    void closingStopsTheProducerAndClosesUpstream() throws Exception {
        AtomicBoolean upstreamClosed = new AtomicBoolean();
        Dataset<Long> endless = Tracking.watch(Dataset.range(1).repeat(), () -> { }, () -> upstreamClosed.set(true));
        Prefetcher<Long> p = new Prefetcher<>(endless::iterator, 3);
        assertEquals(0L, p.next());
        p.close();
        assertFalse(p.producerAlive());
        assertTrue(upstreamClosed.get());
    }
}
