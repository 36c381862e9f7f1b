package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** SimpleRNN, GRU, LSTM and Embedding against PyTorch fixtures: outputs, final states and gradients, masks included. */
class RecurrentGoldenTest {

    private static void assignWeights(Golden f, Module layer, String... names) {
        Map<String, Parameter> params = layer.namedParameters();
        for (String n : names) {
            f.assign(params.get(n), n);
        }
    }

    private static void checkWeightGrads(Golden f, Module layer, String prefix, String... names) {
        Map<String, Parameter> params = layer.namedParameters();
        for (String n : names) {
            f.check("grad_" + n, params.get(prefix + n).grad());
        }
    }

    private static final String[] RNN_WEIGHTS = {"kernel", "recurrent_kernel", "bias"};

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void gruWithMaskInitialStateAndSequencesMatchesPyTorch(DType dtype) {
        Golden f = Golden.load("gru", dtype);
        Tensor x = f.input("x");
        Tensor h0 = f.input("h0");
        GRU gru = (GRU) new GRU(6).returnSequences(true).dtype(dtype);
        gru.buildFor(x.shape());
        assignWeights(f, gru, RNN_WEIGHTS);
        Tensor[] r = gru.callWithState(f.get("mask"), x, h0);
        f.loss("out", r[0]).add(f.loss("state_h", r[1])).backward();
        f.check("out", r[0]);
        f.check("state_h", r[1]);
        f.check("grad_x", x.grad());
        f.check("grad_h0", h0.grad());
        checkWeightGrads(f, gru, "", RNN_WEIGHTS);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void lstmWithMaskAndInitialStatesMatchesPyTorch(DType dtype) {
        Golden f = Golden.load("lstm", dtype);
        Tensor x = f.input("x");
        Tensor h0 = f.input("h0");
        Tensor c0 = f.input("c0");
        LSTM lstm = (LSTM) new LSTM(3).dtype(dtype);
        lstm.buildFor(x.shape());
        assignWeights(f, lstm, RNN_WEIGHTS);
        Tensor[] r = lstm.callWithState(f.get("mask"), x, h0, c0);
        f.loss("out", r[0]).add(f.loss("state_h", r[1])).add(f.loss("state_c", r[2])).backward();
        f.check("out", r[0]);
        f.check("state_h", r[1]);
        f.check("state_c", r[2]);
        f.check("grad_x", x.grad());
        f.check("grad_h0", h0.grad());
        f.check("grad_c0", c0.grad());
        checkWeightGrads(f, lstm, "", RNN_WEIGHTS);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void simpleRnnSequencesMatchPyTorch(DType dtype) {
        Golden f = Golden.load("simple_rnn", dtype);
        Tensor x = f.input("x");
        SimpleRNN rnn = (SimpleRNN) new SimpleRNN(5).returnSequences(true).dtype(dtype);
        rnn.buildFor(x.shape());
        assignWeights(f, rnn, RNN_WEIGHTS);
        Tensor out = rnn.call(x);
        f.loss("out", out).backward();
        f.check("out", out);
        f.check("grad_x", x.grad());
        checkWeightGrads(f, rnn, "", RNN_WEIGHTS);
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void embeddingGradientsAccumulateOverRepeatedTokens(DType dtype) {
        Golden f = Golden.load("embedding", dtype);
        Embedding emb = (Embedding) new Embedding(6, 4).dtype(dtype);
        emb.buildFor(f.get("tokens").shape());
        f.assign(emb.embeddings(), "embeddings");
        Tensor out = emb.call(f.get("tokens"));
        f.loss("out", out).backward();
        f.check("out", out);
        f.check("grad_embeddings", emb.embeddings().grad());
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void embeddingMaskReachesGruThroughSequential(DType dtype) {
        Golden f = Golden.load("embedding_gru", dtype);
        Embedding emb = new Embedding("emb", 7, 4).maskZero(true);
        GRU gru = new GRU("gru", 5);
        Sequential model = (Sequential) new Sequential(emb, gru).dtype(dtype);
        Tensor tokens = f.get("tokens");
        emb.buildFor(tokens.shape());
        gru.buildFor(Shape.of(tokens.dim(0), tokens.dim(1), 4));
        Map<String, Parameter> params = model.namedParameters();
        f.assign(params.get("emb/embeddings"), "embeddings");
        assignWeights(f, gru, RNN_WEIGHTS);
        Tensor out = model.call(tokens);
        f.loss("out", out).backward();
        f.check("out", out);
        f.check("grad_embeddings", params.get("emb/embeddings").grad());
        checkWeightGrads(f, gru, "", RNN_WEIGHTS);
    }
}
