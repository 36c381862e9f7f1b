package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Wrong ranks, feature sizes, masks, states and tokens are refused with the layer path and the shapes. */
class RecurrentBadInputTest {

    private static String fails(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "message lacks '" + p + "': " + message);
        }
    }

    @Test
    void wrongFeatureSizeNamesLayerPathAndShapes() {
        GRU gru = new GRU("gru_q", 4);
        Sequential model = new Sequential("encoder", gru);
        model.call(Tensor.zeros(2, 3, 5));
        String m = fails(() -> model.call(Tensor.zeros(2, 3, 6)));
        assertMentions(m, "encoder/gru_q", "GRU", "last dimension 5", "(2, 3, 6)");
    }

    @Test
    void wrongRankNamesLayerAndShape() {
        assertMentions(fails(() -> new LSTM("lstm_a", 3).call(Tensor.zeros(2, 5))), "lstm_a", "rank 3", "(2, 5)");
        SimpleRNN rnn = new SimpleRNN("rnn_b", 3);
        rnn.call(Tensor.zeros(1, 2, 2));
        assertMentions(fails(() -> rnn.call(Tensor.zeros(1, 2, 2, 2))), "rnn_b", "rank 3", "(1, 2, 2, 2)");
    }

    @Test
    void wrongMaskAndStateShapesAreNamed() {
        GRU gru = new GRU("gru_m", 3);
        Tensor x = Tensor.zeros(2, 4, 5);
        assertMentions(fails(() -> gru.callMasked(Tensor.ones(2, 3), x)), "gru_m", "mask of shape (2, 4)", "(2, 3)");
        assertMentions(fails(() -> gru.call(x, Tensor.zeros(2, 4))), "gru_m", "initial state 0 of shape (2, 3)", "(2, 4)");
        LSTM lstm = new LSTM("lstm_s", 3);
        assertMentions(fails(() -> lstm.call(x, Tensor.zeros(2, 3))), "lstm_s", "0 or 2 initial state", "got 1");
    }

    @Test
    void emptySequenceAndWrongDtypeAreRefused() {
        GRU gru = new GRU("gru_e", 2);
        gru.call(Tensor.zeros(1, 1, 3));
        assertMentions(fails(() -> gru.call(Tensor.zeros(1, 0, 3))), "gru_e", "at least one time step", "(1, 0, 3)");
        assertMentions(fails(() -> gru.call(Tensor.of(new long[] {1, 2, 3}, 1, 1, 3))), "gru_e", "FLOAT32", "INT64");
    }

    @Test
    void outOfRangeTokenNamesLayerTokenAndInputDim() {
        Embedding emb = new Embedding("words", 10, 4);
        assertMentions(fails(() -> emb.call(Tensor.of(new long[] {1, 10, 3}, 1, 3))), "words", "token 10", "inputDim=10");
        assertMentions(fails(() -> emb.call(Tensor.of(new int[] {-1, 2}, 2))), "words", "token -1");
        assertMentions(fails(() -> emb.call(Tensor.of(new float[] {1, 2}, 2))), "words", "INT32 or INT64", "FLOAT32");
        assertEquals(4, emb.call(Tensor.of(new int[] {9}, 1)).dim(-1), "INT32 tokens are accepted");
    }

    @Test
    void attentionShapeMismatchesAreNamed() {
        MultiHeadAttention mha = new MultiHeadAttention("mha", 2, 3);
        Tensor q = Tensor.zeros(2, 3, 8);
        Tensor v = Tensor.zeros(2, 4, 6);
        mha.call(q, v);
        assertMentions(fails(() -> mha.attend(q, v, null, Tensor.ones(2, 4, 3))), "mha", "(2, 3, 4)", "(2, 4, 3)");
        assertMentions(fails(() -> mha.call(Tensor.zeros(2, 3, 7), v)), "mha", "last dimension 8", "(2, 3, 7)");
        assertMentions(fails(() -> new MultiHeadAttention("mha2", 2, 3).call(Tensor.zeros(3, 8), v)), "mha2", "rank 3", "(3, 8)");
        AdditiveAttention att = new AdditiveAttention("att");
        assertMentions(fails(() -> att.call(q, Tensor.zeros(2, 4, 6), Tensor.zeros(2, 5, 8))), "att", "value (2, 4, 6)",
                "key (2, 5, 8)");
        assertMentions(fails(() -> att.attend(q, q, null, null, Tensor.ones(2, 5))), "att", "value mask of shape (2, 3)",
                "(2, 5)");
    }

    @Test
    void settersAfterBuildingAreRefused() {
        GRU gru = new GRU(2);
        gru.call(Tensor.zeros(1, 1, 1));
        assertThrows(IllegalStateException.class, () -> gru.returnSequences(true));
        Embedding emb = new Embedding(3, 2);
        emb.call(Tensor.of(new long[] {1}, 1));
        assertThrows(IllegalStateException.class, () -> emb.maskZero(true));
    }
}
