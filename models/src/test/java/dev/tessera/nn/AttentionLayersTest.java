package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/** Causal and padding masks of the attention layers: masked positions have no influence. */
class AttentionLayersTest {

    @Test
    void causalMaskHidesLaterSteps() {
        MultiHeadAttention mha = new MultiHeadAttention(2, 4).useCausalMask(true);
        Tensor x = Tensor.randn(new Generator(5), 1, 4, 8);
        Tensor[] r = mha.attendWithScores(x, x, null, null);
        Tensor changed = Tensor.concat(1, x.narrow(1, 0, 3), Tensor.randn(new Generator(6), 1, 1, 8));
        Tensor other = mha.attend(changed, changed, null, null);
        assertArrayEquals(r[0].narrow(1, 0, 3).toDoubleArray(), other.narrow(1, 0, 3).toDoubleArray(), 1e-6);
        double[] w = r[1].toDoubleArray();
        for (int h = 0; h < 2; h++) {
            for (int i = 0; i < 4; i++) {
                for (int j = i + 1; j < 4; j++) {
                    assertEquals(0.0, w[(h * 4 + i) * 4 + j], 1e-12, "weight of query " + i + " on later key " + j);
                }
            }
        }
    }

    @Test
    void paddingMaskReachesSelfAttentionThroughSequential() {
        Embedding emb = new Embedding(10, 8).maskZero(true);
        MultiHeadAttention mha = new MultiHeadAttention(2, 4);
        Sequential model = new Sequential(emb, mha);
        Tensor padded = model.call(Tensor.of(new long[] {3, 7, 2, 0, 0}, 1, 5));
        Tensor alone = model.call(Tensor.of(new long[] {3, 7, 2}, 1, 3));
        assertArrayEquals(alone.toDoubleArray(), padded.narrow(1, 0, 3).toDoubleArray(), 1e-6);
        AdditiveAttention att = new AdditiveAttention();
        Tensor q = Tensor.randn(new Generator(2), 1, 3, 4);
        Tensor v = Tensor.randn(new Generator(3), 1, 5, 4);
        Tensor masked = att.attend(q, v, null, null, Tensor.of(new long[] {1, 1, 0, 0, 0}, 1, 5));
        assertArrayEquals(att.attend(q, v.narrow(1, 0, 2), null, null, null).toDoubleArray(), masked.toDoubleArray(), 1e-6);
    }
}
