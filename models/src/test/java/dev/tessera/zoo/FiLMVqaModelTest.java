package dev.tessera.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Parameter;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/** The coursework FiLM model: Keras' parameter counts, gradients everywhere, and padding that changes nothing. */
class FiLMVqaModelTest {

    @Test
    void courseworkConfigurationHas990878Parameters() {
        FiLMVqaModel model = new FiLMVqaModel(82, 30);
        String summary = model.summary(Shape.of(12), Shape.of(64, 64, 3));
        assertEquals(990_878, ZooCounts.total(model));
        assertEquals(990_110, ZooCounts.trainable(model));
        assertTrue(summary.contains(" Total params: 990,878 (3.78 MB)\n"), summary);
        assertTrue(summary.contains(" Trainable params: 990,110 (3.78 MB)\n"), summary);
        assertTrue(summary.contains(" Non-trainable params: 768 (3.00 KB)\n"), summary);
        assertTrue(summary.contains("(None, 16, 16, 130)"), summary);
        assertTrue(summary.contains("(None, 30)"), summary);
    }

    @Test
    void eachExtraResBlockAddsItsWeights() {
        FiLMVqaModel model = new FiLMVqaModel(82, 30).resBlocks(4);
        model.summary(Shape.of(5), Shape.of(32, 32, 3));
        // A later block: 1x1 conv 128->128 (only the first sees the 2 coordinate channels), 3x3 conv
        // 128->128, FiLM's two bias-free dense maps 128->128, batch-norm statistics 2*128.
        long block = (128 * 128 + 128) + (9 * 128 * 128 + 128) + 2 * 128 * 128 + 2 * 128;
        assertEquals(990_878 + 3 * block, ZooCounts.total(model));
    }

    @Test
    void forwardAndBackwardReachEveryTrainableParameter() {
        FiLMVqaModel model = new FiLMVqaModel(82, 30);
        model.seed(3);
        Tensor tokens = Tensor.of(new long[] {5, 81, 3, 0, 0, 9, 2, 4, 7, 1}, 2, 5);
        Tensor images = Tensor.randn(new Generator(1), 2, 32, 32, 3);
        Tensor logits = model.call(tokens, images);
        assertEquals(Shape.of(2, 30), logits.shape());
        logits.logSoftmax(-1).slice(1, 0, 1).sum().backward();
        for (Parameter p : model.trainableParameters()) {
            assertNotNull(p.grad(), p.name());
            assertTrue(p.grad().abs().sum().item() > 0, "zero gradient for " + p.name());
        }
    }

    @Test
    void appendedPaddingLeavesLogitsUnchanged() {
        FiLMVqaModel model = new FiLMVqaModel(82, 30);
        model.seed(5);
        Tensor images = Tensor.randn(new Generator(2), 1, 32, 32, 3);
        model.call(Tensor.of(new int[] {4, 17, 33}, 1, 3), images);
        model.eval();
        float[] plain = model.call(Tensor.of(new int[] {4, 17, 33}, 1, 3), images).toFloatArray();
        float[] padded = model.call(Tensor.of(new int[] {4, 17, 33, 0, 0, 0}, 1, 6), images).toFloatArray();
        float[] other = model.call(Tensor.of(new int[] {4, 17, 34}, 1, 3), images).toFloatArray();
        assertArrayEquals(plain, padded, 1e-5f);
        assertTrue(maxDiff(plain, other) > 1e-6, "a different question must change the logits");
    }

    @Test
    void rejectsFloatTokensAndMismatchedBatches() {
        FiLMVqaModel model = new FiLMVqaModel(82, 30);
        Tensor images = Tensor.zeros(2, 32, 32, 3);
        assertThrows(IllegalArgumentException.class, () -> model.call(Tensor.zeros(2, 4), images));
        assertThrows(IllegalArgumentException.class,
                () -> model.call(Tensor.of(new long[] {1, 2, 3}, 1, 3), images));
        assertThrows(IllegalArgumentException.class, () -> new FiLMVqaModel(82, 30).resBlocks(0));
    }

    private static double maxDiff(float[] a, float[] b) {
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
