package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** MultiHeadAttention and AdditiveAttention against PyTorch fixtures: outputs, attention weights and gradients, masks included. */
class AttentionGoldenTest {

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void multiHeadAttentionWithMaskMatchesPyTorch(DType dtype) {
        Golden f = Golden.load("mha", dtype);
        Tensor q = f.input("query");
        Tensor v = f.input("value");
        Tensor k = f.input("key");
        MultiHeadAttention mha = (MultiHeadAttention) new MultiHeadAttention(2, 3).valueDim(4).dtype(dtype);
        mha.buildFor(q.shape(), v.shape(), k.shape());
        Map<String, Parameter> params = mha.namedParameters();
        String[] names = {"query", "key", "value", "output"};
        for (String n : names) {
            String layer = n.equals("output") ? "attention_output" : n;
            f.assign(params.get(layer + "/kernel"), n + "_kernel");
            f.assign(params.get(layer + "/bias"), n + "_bias");
        }
        Tensor[] r = mha.attendWithScores(q, v, k, f.get("mask"));
        f.loss("out", r[0]).add(f.loss("scores", r[1])).backward();
        f.check("out", r[0]);
        f.check("scores", r[1]);
        f.check("grad_query", q.grad());
        f.check("grad_value", v.grad());
        f.check("grad_key", k.grad());
        for (String n : names) {
            String layer = n.equals("output") ? "attention_output" : n;
            f.check("grad_" + n + "_kernel", params.get(layer + "/kernel").grad());
            f.check("grad_" + n + "_bias", params.get(layer + "/bias").grad());
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void additiveAttentionWithMasksMatchesPyTorch(DType dtype) {
        Golden f = Golden.load("additive_attention", dtype);
        Tensor q = f.input("query");
        Tensor v = f.input("value");
        Tensor k = f.input("key");
        AdditiveAttention att = (AdditiveAttention) new AdditiveAttention().dtype(dtype);
        att.buildFor(q.shape(), v.shape(), k.shape());
        f.assign(att.scale(), "scale");
        Tensor out = att.attend(q, v, k, f.get("query_mask"), f.get("value_mask"));
        f.loss("out", out).backward();
        f.check("out", out);
        f.check("grad_query", q.grad());
        f.check("grad_value", v.grad());
        f.check("grad_key", k.grad());
        f.check("grad_scale", att.scale().grad());
    }
}
