package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A wrong input rank or channel count names the layer path, the expected and the actual shape. */
class BadInputTest {

    private static String message(Executable call) {
        return assertThrows(IllegalArgumentException.class, call).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + message + "' lacks '" + p + "'");
        }
    }

    @Test
    void denseNamesItsPathAndBothSizes() {
        Dense dense = new Dense(3);
        Sequential model = new Sequential("mlp", dense);
        model.call(Tensor.zeros(2, 4));
        String m = message(() -> model.call(Tensor.zeros(2, 5)));
        assertMentions(m, "mlp/" + dense.name() + " (Dense)", "last dimension 4", "got shape (2, 5)");
        m = message(() -> model.call(Tensor.zeros(4)));
        assertMentions(m, "mlp/" + dense.name(), "rank >= 2", "got shape (4,)");
    }

    @Test
    void convolutionChecksRankAndChannels() {
        Conv2D conv = new Conv2D(8, 3);
        Sequential model = new Sequential("cnn", conv);
        String m = message(() -> model.call(Tensor.zeros(2, 8, 8)));
        assertMentions(m, "cnn/" + conv.name() + " (Conv2D)", "rank 4", "got shape (2, 8, 8)");
        model.call(Tensor.zeros(1, 8, 8, 3));
        m = message(() -> model.call(Tensor.zeros(1, 8, 8, 4)));
        assertMentions(m, "cnn/" + conv.name(), "last dimension 3", "got shape (1, 8, 8, 4)");
    }

    @Test
    void filmBlockChecksBothInputs() {
        FiLMResBlock block = new FiLMResBlock(4);
        block.call(Tensor.zeros(2, 3, 3, 5), Tensor.zeros(2, 6));
        String m = message(() -> block.call(Tensor.zeros(2, 3, 3, 5), Tensor.zeros(2, 7)));
        assertMentions(m, block.name() + "/film/gamma (Dense)", "last dimension 6", "got shape (2, 7)");
        m = message(() -> block.call(Tensor.zeros(2, 3, 3, 5)));
        assertMentions(m, block.name() + " (FiLMResBlock)", "expected 2 inputs", "got 1");
        m = message(() -> new FiLM().call(Tensor.zeros(2, 3, 3, 5), Tensor.zeros(3, 6)));
        assertMentions(m, "(FiLM)", "same batch size", "(2, 3, 3, 5) and (3, 6)");
    }

    @Test
    void mergesCheckShapes() {
        String m = message(() -> new Add().call(Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
        assertMentions(m, "(Add)", "(2, 3) and (2, 4)");
        m = message(() -> new Concatenate().call(Tensor.zeros(2, 3), Tensor.zeros(3, 3)));
        assertMentions(m, "(Concatenate)", "(2, 3) and (3, 3)");
    }
}
