package dev.tessera.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;

class LossTest {

    @Test
    void sparseLabelsOutOfRangeNameTheRange() {
        Tensor logits = Tensor.zeros(2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).apply(logits, Tensor.of(new long[] {0, 3}, 2)));
        assertTrue(e.getMessage().contains("[0, 3)") && e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void sparseTargetsWithWrongShapeNameBothShapes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SparseCategoricalCrossentropy(true).apply(Tensor.zeros(2, 3), Tensor.of(new long[] {0, 1, 2}, 3)));
        assertTrue(e.getMessage().contains("(3,)") && e.getMessage().contains("(2, 3)"), e.getMessage());
    }

    @Test
    void sparseAcceptsLabelsWithTrailingOne() {
        Tensor logits = Tensor.of(new float[] {1, 2, 3, 3, 2, 1}, 2, 3);
        double flat = new SparseCategoricalCrossentropy(true).apply(logits, Tensor.of(new long[] {2, 1}, 2)).item();
        double column = new SparseCategoricalCrossentropy(true).apply(logits, Tensor.of(new long[] {2, 1}, 2, 1)).item();
        assertEquals(flat, column, 0.0);
    }

    @Test
    void uniformLogitsGiveLogOfClassCount() {
        double v = new SparseCategoricalCrossentropy(true).apply(Tensor.zeros(4, 10), Tensor.of(new long[] {0, 3, 9, 5}, 4)).item();
        assertEquals(Math.log(10), v, 1e-6);
    }

    @Test
    void ignoringPadTokenEqualsExplicitMask() {
        Tensor logits = Tensor.of(new float[] {0.1f, 0.7f, -0.3f, 1.2f, 0.4f, 0.0f, -1f, 2f, 0.5f, 0.3f, 0.2f, 0.1f}, 1, 4, 3);
        Tensor targets = Tensor.of(new long[] {1, 2, 0, 0}, 1, 4);
        Tensor mask = Tensor.of(new float[] {1, 1, 0, 0}, 1, 4);
        double byPad = TemporalCrossentropy.ignoring(0).apply(logits, targets).item();
        double byMask = new TemporalCrossentropy().apply(logits, targets, mask).item();
        double firstTwo = new SparseCategoricalCrossentropy(true).apply(logits.slice(1, 0, 2), targets.slice(1, 0, 2)).item();
        assertEquals(byMask, byPad, 0.0);
        assertEquals(firstTwo, byPad, 1e-6);
    }

    @Test
    void fullyMaskedBatchGivesZeroNotNaN() {
        Tensor logits = Tensor.zeros(1, 2, 3);
        double v = TemporalCrossentropy.ignoring(0).apply(logits, Tensor.of(new long[] {0, 0}, 1, 2)).item();
        assertEquals(0.0, v, 0.0);
    }

    @Test
    void shapeMismatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MeanSquaredError().apply(Tensor.zeros(2, 3), Tensor.zeros(3, 2)));
        assertTrue(e.getMessage().startsWith("MeanSquaredError:"), e.getMessage());
    }
}
