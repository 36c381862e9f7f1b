package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tessera.Shape;
import org.junit.jupiter.api.Test;

/** The recurrent and attention layers pass {@link LayerContract} with Keras' parameter counts. */
class RecurrentContractTest {

    @Test
    void recurrentLayers() {
        assertEquals(Shape.of(2, 4, 3),
                LayerContract.check(new GRU(3).returnSequences(true), 3 * 3 * (5 + 3 + 2), Shape.of(2, 4, 5)).shape());
        LayerContract.check(new GRU(3), 3 * 3 * (5 + 3 + 2), Shape.of(2, 4, 5), Shape.of(2, 3));
        LayerContract.check(new LSTM(3), 4 * 3 * (5 + 3 + 1), Shape.of(2, 4, 5), Shape.of(2, 3), Shape.of(2, 3));
        LayerContract.check(new SimpleRNN(3).returnSequences(true), 3 * (5 + 3 + 1), Shape.of(2, 4, 5));
    }

    @Test
    void attentionLayers() {
        assertEquals(Shape.of(2, 3, 6), LayerContract.check(new MultiHeadAttention(2, 3).valueDim(4).outputDim(6),
                (8 * 6 + 6) + (5 * 6 + 6) + (7 * 8 + 8) + (8 * 6 + 6), Shape.of(2, 3, 8), Shape.of(2, 4, 7), Shape.of(2, 4, 5))
                .shape());
        assertEquals(Shape.of(2, 3, 6),
                LayerContract.check(new AdditiveAttention(), 4, Shape.of(2, 3, 4), Shape.of(2, 5, 6), Shape.of(2, 5, 4)).shape());
        LayerContract.check(new AdditiveAttention().useScale(false), 0, Shape.of(2, 3, 4), Shape.of(2, 3, 4));
    }
}
