package dev.tessera.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Checks batch collation into tensors: stacking, zero padding and pairs. */
class CollateTest {

    @BeforeEach
    void needsBackend() {
        CpuBackend.assume();
    }

    @Test
    void paddedBatchPadsIntSequencesWithZerosToTheLongest() {
        Dataset<int[]> seqs = Dataset.fromList(List.of(new int[] {5, 6}, new int[] {7}, new int[] {1, 2, 3}, new int[] {9}));
        List<Tensor> batches = seqs.paddedBatch(3, false).toList();
        assertEquals(Shape.of(3, 3), batches.get(0).shape());
        assertEquals(DType.INT32, batches.get(0).dtype());
        assertArrayEquals(new int[] {5, 6, 0, 7, 0, 0, 1, 2, 3}, batches.get(0).toIntArray());
        assertEquals(Shape.of(1, 1), batches.get(1).shape(), "each batch pads to its own longest");
    }

    @Test
    void paddedCollateAcceptsLongsAndOneDimensionalTensors() {
        Tensor t = Collate.padded().apply(List.of(new long[] {1, 2, 3}, new long[] {4}));
        assertEquals(DType.INT64, t.dtype());
        assertArrayEquals(new long[] {1, 2, 3, 4, 0, 0}, t.toLongArray());
        Tensor f = Collate.padded().apply(List.of(Tensor.of(1f, 2f), Tensor.of(3f)));
        assertArrayEquals(new float[] {1, 2, 3, 0}, f.toFloatArray());
    }

    @Test
    void paddedCollateRejectsMixedOrUnsupportedElements() {
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> Collate.padded().apply(List.of(new int[] {1}, new long[] {2})));
        assertTrue(mixed.getMessage().contains("element 1 is long[]"), mixed.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Collate.padded().apply(List.of("text")));
    }

    @Test
    void stackAndPairCollateTuples() {
        List<Pair<Tensor, Long>> items = List.of(
                Pair.of(Tensor.of(new float[] {1, 2, 3, 4}, 2, 2), 3L),
                Pair.of(Tensor.of(new float[] {5, 6, 7, 8}, 2, 2), 9L));
        Pair<Tensor, Tensor> b = Collate.<Tensor, Long, Tensor, Tensor>pair(Collate.stack(), Collate.labels()).apply(items);
        assertEquals(Shape.of(2, 2, 2), b.first().shape());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, b.first().toFloatArray());
        assertArrayEquals(new long[] {3, 9}, b.second().toLongArray());
    }

    @Test
    void stackRejectsRaggedShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Collate.stack().apply(List.of(Tensor.of(1f, 2f), Tensor.of(3f))));
        assertTrue(e.getMessage().contains("element 1 has shape " + Shape.of(1)), e.getMessage());
    }
}
