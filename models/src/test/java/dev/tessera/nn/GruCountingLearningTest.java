package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Embedding(maskZero) + GRU + a linear read-out learn to count the 1s in padded sequences, trained by plain SGD. */
class GruCountingLearningTest {
    private static final int MAX_LEN = 6;
    private static final int BATCH = 32;

    /** Tokens 1 or 2, lengths 2..MAX_LEN right-padded with 0; the target is the number of 1s. */
    private static Tensor[] batch(Generator gen) {
        long[] tokens = new long[BATCH * MAX_LEN];
        double[] counts = new double[BATCH];
        for (int b = 0; b < BATCH; b++) {
            int len = 2 + gen.nextInt(MAX_LEN - 1);
            for (int t = 0; t < len; t++) {
                int tok = 1 + gen.nextInt(2);
                tokens[b * MAX_LEN + t] = tok;
                counts[b] += tok == 1 ? 1 : 0;
            }
        }
        return new Tensor[] {Tensor.of(tokens, BATCH, MAX_LEN), Tensor.of(counts, BATCH, 1).to(DType.FLOAT32)};
    }

    @Test
    void gruLearnsToCountTokens() {
        Module encoder = new Sequential(new Embedding(3, 8).maskZero(true), new GRU(16)).seed(3);
        Generator gen = new Generator(11);
        Tensor readout = Tensor.normal(gen, Shape.of(16, 1), 0, 0.1, DType.FLOAT32, Device.cpu()).requiresGrad(true);
        Tensor offset = Tensor.zeros(1).requiresGrad(true);
        Tensor[] test = batch(new Generator(99));
        double before = loss(encoder, readout, offset, test).item();
        double lr = 0.2;
        for (int step = 0; step < 150; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor[] b = batch(gen);
                loss(encoder, readout, offset, b).backward();
                List<Tensor> params = new ArrayList<>(List.of(readout, offset));
                encoder.parameters().forEach(p -> params.add(p.value()));
                try (Grad ignored = Grad.disabled()) {
                    for (Tensor p : params) {
                        p.subInPlace(p.grad().mul(lr));
                        p.zeroGrad();
                    }
                }
            }
        }
        Tensor prediction = encoder.call(test[0]).matmul(readout).add(offset);
        double after = prediction.sub(test[1]).square().mean().item();
        double[] pred = prediction.toDoubleArray();
        double[] want = test[1].toDoubleArray();
        int right = 0;
        for (int i = 0; i < pred.length; i++) {
            right += Math.round(pred[i]) == Math.round(want[i]) ? 1 : 0;
        }
        assertTrue(after < 0.05 && after < before / 20, "mean squared error " + before + " -> " + after);
        assertTrue(right >= BATCH - 1, "rounded counts right: " + right + "/" + BATCH);
    }

    private static Tensor loss(Module encoder, Tensor readout, Tensor offset, Tensor[] batch) {
        return encoder.call(batch[0]).matmul(readout).add(offset).sub(batch[1]).square().mean();
    }
}
