package dev.tessera.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;

class MetricsTest {
    private static final Tensor SCORES = Tensor.of(new float[] {
        0.1f, 0.7f, 0.2f,
        0.5f, 0.3f, 0.2f,
        0.2f, 0.3f, 0.5f,
        0.4f, 0.35f, 0.25f}, 4, 3);

    @Test
    void sparseAccuracyComparesArgmaxWithLabels() {
        Tensor labels = Tensor.of(new long[] {1, 0, 1, 2}, 4);
        assertEquals(0.5, Metrics.accuracy().compute(SCORES, labels), 1e-7);
        assertEquals(0.5, Metrics.sparseCategoricalAccuracy().compute(SCORES, labels.reshape(4, 1)), 1e-7);
    }

    @Test
    void categoricalAccuracyComparesArgmaxes() {
        Tensor oneHot = Tensor.of(new long[] {1, 0, 2, 2}, 4).oneHot(3);
        assertEquals(0.75, Metrics.categoricalAccuracy().compute(SCORES, oneHot), 1e-7);
    }

    @Test
    void topKCountsLabelsAmongTheKBest() {
        Tensor labels = Tensor.of(new long[] {2, 1, 0, 2}, 4);
        assertEquals(0.0, Metrics.sparseTopK(1).compute(SCORES, labels), 1e-7);
        assertEquals(0.5, Metrics.sparseTopK(2).compute(SCORES, labels), 1e-7);
        assertEquals(1.0, Metrics.sparseTopK(3).compute(SCORES, labels), 1e-7);
        assertEquals("sparse_top_2_categorical_accuracy", Metrics.sparseTopK(2).name());
    }

    @Test
    void binaryAccuracyThresholds() {
        Tensor p = Tensor.of(0.2f, 0.8f, 0.6f, 0.4f);
        Tensor t = Tensor.of(0f, 1f, 0f, 0f);
        assertEquals(0.75, Metrics.binaryAccuracy(0.5).compute(p, t), 1e-7);
    }

    @Test
    void wrongLabelShapeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Metrics.accuracy().compute(SCORES, Tensor.of(new long[] {1, 2}, 1, 2)));
    }
}
