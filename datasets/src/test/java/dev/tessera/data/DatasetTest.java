package dev.tessera.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** Checks each Dataset transformation, re-iteration and closing. */
class DatasetTest {

    private static List<Long> longs(long... v) {
        return LongStream.of(v).boxed().collect(Collectors.toList());
    }

    /** A dataset that counts how many of its iterators are open. */
    private static Dataset<Long> tracked(long n, AtomicInteger open) {
        return Tracking.watch(Dataset.range(n), open::incrementAndGet, open::decrementAndGet);
    }

    @Test
    void mapFilterTakeSkipCompose() {
        Dataset<Long> d = Dataset.range(10).map(x -> x * x).filter(x -> x % 2 == 0).skip(1).take(3);
        assertEquals(longs(4, 16, 36), d.toList());
        assertEquals(longs(4, 16, 36), d.toList(), "a dataset starts over on each iteration");
        assertEquals(0, Dataset.range(3).take(0).count());
        assertEquals(0, Dataset.range(3).skip(5).count());
    }

    @Test
    void batchKeepsOrDropsTheRemainder() {
        assertEquals(List.of(longs(0, 1, 2), longs(3, 4, 5), longs(6)), Dataset.range(7).batch(3).toList());
        assertEquals(List.of(longs(0, 1, 2), longs(3, 4, 5)), Dataset.range(7).batch(3, true).toList());
        assertEquals(List.of(), Dataset.range(0).batch(3).toList());
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(3).batch(0));
    }

    @Test
    void repeatCountsRoundsAndRepeatForeverIsLazy() {
        assertEquals(longs(0, 1, 0, 1, 0, 1), Dataset.range(2).repeat(3).toList());
        assertEquals(longs(0, 1, 2, 0, 1, 2, 0), Dataset.range(3).repeat().take(7).toList());
        assertEquals(0, Dataset.range(0).repeat().count(), "repeating nothing ends");
        assertEquals(0, Dataset.range(4).repeat(0).count());
    }

    @Test
    void shuffleIsASeededPermutationThatChangesPerEpoch() {
        Dataset<Long> d = Dataset.range(100).shuffle(100, 42);
        List<Long> e1 = d.toList();
        List<Long> e2 = d.toList();
        assertEquals(Dataset.range(100).toList(), e1.stream().sorted().collect(Collectors.toList()));
        assertNotEquals(Dataset.range(100).toList(), e1);
        assertNotEquals(e1, e2, "each epoch reshuffles");
        Dataset<Long> again = Dataset.range(100).shuffle(100, 42);
        assertEquals(e1, again.toList(), "same seed, same first epoch");
        assertEquals(e2, again.toList(), "same seed, same second epoch");
        Dataset<Long> fixed = Dataset.range(100).shuffle(10, 7, false);
        assertEquals(fixed.toList(), fixed.toList());
    }

    @Test
    void smallShuffleBufferOnlyMovesElementsLocally() {
        List<Long> out = Dataset.range(1000).shuffle(4, 1).toList();
        for (int i = 0; i < out.size(); i++) {
            assertTrue(out.get(i) <= i + 3, "element " + out.get(i) + " at " + i + " came from beyond the buffer");
        }
    }

    @Test
    void concatAndInterleaveReadShardsInTensorFlowOrder() {
        List<Dataset<Long>> shards = List.of(Dataset.range(3), Dataset.range(2).map(x -> 10 + x),
                Dataset.range(4).map(x -> 20 + x));
        assertEquals(longs(0, 1, 2, 10, 11, 20, 21, 22, 23), Dataset.concat(shards).toList());
        assertEquals(longs(0, 10, 20, 1, 11, 21, 2, 22, 23), Dataset.interleave(shards, 3, 1).toList());
        assertEquals(longs(0, 1, 10, 11, 2, 20, 21, 22, 23), Dataset.interleave(shards, 2, 2).toList());
    }

    @Test
    void interleaveOpensAtMostCycleLengthSources() {
        AtomicInteger open = new AtomicInteger();
        AtomicInteger maxOpen = new AtomicInteger();
        List<Dataset<Long>> shards = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            shards.add(tracked(3, open).map(x -> {
                maxOpen.accumulateAndGet(open.get(), Math::max);
                return x;
            }));
        }
        assertEquals(18, Dataset.interleave(shards, 2, 1).count());
        assertEquals(2, maxOpen.get());
        assertEquals(0, open.get());
    }

    @Test
    void closingAnIteratorClosesEveryStageUpstream() {
        AtomicInteger open = new AtomicInteger();
        Dataset<List<Long>> d = tracked(100, open).map(x -> x + 1).shuffle(8, 3).batch(4).repeat(5);
        try (CloseableIterator<List<Long>> it = d.iterator()) {
            it.next();
            assertEquals(1, open.get());
        }
        assertEquals(0, open.get());
        d.forEach(b -> { });
        assertEquals(0, open.get());
    }

    @Test
    void exhaustedOrClosedIteratorsFailClearly() {
        CloseableIterator<Long> it = Dataset.range(1).iterator();
        it.next();
        assertThrows(NoSuchElementException.class, it::next);
        it.close();
        it.close();
        assertThrows(IllegalStateException.class, it::hasNext);
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(1).take(-1));
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(1).shuffle(0, 1));
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(1).prefetch(0));
        assertThrows(IllegalArgumentException.class, () -> Dataset.range(1).map(null));
        assertThrows(IllegalArgumentException.class, () -> Dataset.interleave(List.of(Dataset.range(1)), 0, 1));
    }
}
