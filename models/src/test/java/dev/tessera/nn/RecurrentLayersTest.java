package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parameter counts as Keras reports them, Keras' default initialisers, masking semantics and the mask's way through Sequential. */
class RecurrentLayersTest {

    private static long count(Module m) {
        long n = 0;
        for (Parameter p : m.parameters()) {
            n += p.value().numel();
        }
        return n;
    }

    private static Tensor tokens(long[] data, long... dims) {
        return Tensor.of(data, dims);
    }

    @Test
    void courseworkQuestionEncoderHasKerasParameterCounts() {
        Embedding emb = new Embedding(82, 64).maskZero(true);
        Recurrent gru1 = new GRU(128).returnSequences(true);
        GRU gru2 = new GRU(128);
        Sequential model = new Sequential(emb, gru1, gru2);
        Tensor out = model.call(tokens(new long[] {5, 81, 3, 0, 7, 9, 0, 0}, 2, 4));
        assertEquals(Shape.of(2, 128), out.shape());
        assertEquals(5_248, count(emb));
        assertEquals(74_496, count(gru1));
        assertEquals(99_072, count(gru2));
        assertEquals(178_816, count(model));
        Map<String, Shape> shapes = new LinkedHashMap<>();
        gru1.namedParameters().forEach((k, p) -> shapes.put(k, p.value().shape()));
        assertEquals(Map.of("kernel", Shape.of(64, 384), "recurrent_kernel", Shape.of(128, 384), "bias", Shape.of(2, 384)),
                shapes);
    }

    @Test
    void otherLayersHaveKerasParameterCounts() {
        Tensor x = Tensor.zeros(2, 3, 16);
        LSTM lstm = new LSTM(32);
        lstm.call(x);
        assertEquals(4 * 32 * (16 + 32 + 1), count(lstm));
        SimpleRNN rnn = new SimpleRNN(8);
        rnn.call(x);
        assertEquals(8 * (16 + 8 + 1), count(rnn));
        MultiHeadAttention mha = new MultiHeadAttention(2, 4);
        Tensor y = Tensor.zeros(2, 3, 8);
        assertEquals(Shape.of(2, 3, 8), mha.call(y, y).shape());
        assertEquals(288, count(mha));
        AdditiveAttention att = new AdditiveAttention();
        assertEquals(Shape.of(2, 3, 16), att.call(x, x).shape());
        assertEquals(16, count(att));
    }

    @Test
    void defaultInitialisersFollowKeras() {
        LSTM lstm = new LSTM(4);
        lstm.call(Tensor.zeros(1, 2, 3));
        Map<String, Parameter> p = lstm.namedParameters();
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, p.get("bias").value().toDoubleArray());
        Tensor u = p.get("recurrent_kernel").value().to(DType.FLOAT64);
        double[] gram = u.matmul(u.mT()).toDoubleArray();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                assertEquals(i == j ? 1.0 : 0.0, gram[i * 4 + j], 1e-6, "orthogonal rows of the recurrent kernel");
            }
        }
        double limit = Math.sqrt(6.0 / (3 + 16));
        for (double w : p.get("kernel").value().toDoubleArray()) {
            assertTrue(Math.abs(w) <= limit, "glorot-uniform kernel value " + w + " beyond " + limit);
        }
        Embedding emb = new Embedding(50, 20);
        emb.call(tokens(new long[] {1}, 1));
        double max = 0;
        for (double w : emb.embeddings().value().toDoubleArray()) {
            max = Math.max(max, Math.abs(w));
        }
        assertTrue(max <= 0.05 && max > 0.04, "uniform(-0.05, 0.05) embeddings, largest |w| = " + max);
    }

    @Test
    void sameSeedGivesSameWeights() {
        double[] a = new Sequential(new GRU(5)).seed(7).call(Tensor.ones(1, 2, 3)).toDoubleArray();
        double[] b = new Sequential(new GRU(5)).seed(7).call(Tensor.ones(1, 2, 3)).toDoubleArray();
        double[] c = new Sequential(new GRU(5)).seed(8).call(Tensor.ones(1, 2, 3)).toDoubleArray();
        assertArrayEquals(a, b);
        assertTrue(!java.util.Arrays.equals(a, c), "another seed gives other weights");
    }

    @Test
    void maskedStepsKeepTheStateAndRepeatThePreviousOutput() {
        GRU gru = (GRU) new GRU(3).returnSequences(true);
        Tensor x = Tensor.randn(new Generator(1), 1, 4, 2);
        Tensor[] r = gru.callWithState(Tensor.of(new long[] {0, 1, 0, 1}, 1, 4), x);
        Tensor seq = r[0];
        assertArrayEquals(new double[3], seq.select(1, 0).toDoubleArray(), "output before the first real step is zero");
        assertArrayEquals(seq.select(1, 1).toDoubleArray(), seq.select(1, 2).toDoubleArray(), "masked step repeats");
        Tensor h1 = gru.callWithState(null, x.narrow(1, 1, 1))[1];
        Tensor h2 = gru.callWithState(null, x.narrow(1, 3, 1), h1)[1];
        assertArrayEquals(h2.toDoubleArray(), r[1].toDoubleArray(), 1e-6, "state skips masked steps");
        assertArrayEquals(h2.toDoubleArray(), seq.select(1, 3).toDoubleArray(), 1e-6);
    }

    @Test
    void paddedRowsGiveTheUnpaddedResultThroughSequential() {
        Embedding emb = new Embedding(10, 6).maskZero(true);
        Recurrent gru1 = new GRU(5).returnSequences(true);
        LSTM lstm = new LSTM(4);
        Sequential model = new Sequential(emb, gru1, lstm);
        Tensor padded = model.call(tokens(new long[] {3, 7, 2, 0, 0, 4, 9, 1, 8, 5}, 2, 5));
        Tensor alone = model.call(tokens(new long[] {3, 7, 2}, 1, 3));
        assertArrayEquals(alone.toDoubleArray(), padded.select(0, 0).toDoubleArray(), 1e-6);
        Tensor unmasked = lstm.call(gru1.call(emb.call(tokens(new long[] {3, 7, 2, 0, 0}, 1, 5))));
        double diff = 0;
        for (int i = 0; i < 4; i++) {
            diff = Math.max(diff, Math.abs(unmasked.toDoubleArray()[i] - alone.toDoubleArray()[i]));
        }
        assertTrue(diff > 1e-4, "without the mask the padding changes the result");
    }

    @Test
    void masksFollowKerasRules() {
        Embedding emb = new Embedding(5, 2);
        Tensor t = tokens(new long[] {1, 0, 2}, 1, 3);
        assertNull(emb.computeMask(t, null), "no mask without maskZero");
        Embedding masking = new Embedding(5, 2).maskZero(true);
        assertArrayEquals(new double[] {1, 0, 1}, masking.computeMask(t, null).toDoubleArray());
        Tensor m = Tensor.ones(1, 3);
        assertEquals(m, new GRU(2).returnSequences(true).computeMask(null, m));
        assertNull(new GRU(2).computeMask(null, m), "a layer returning its last output ends the mask");
    }
}
