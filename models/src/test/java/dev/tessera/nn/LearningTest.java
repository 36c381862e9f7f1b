package dev.tessera.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.Padding;
import dev.tessera.random.Generator;
import org.junit.jupiter.api.Test;

/** Tiny models learn with plain hand-written SGD on their parameters, in seconds. */
class LearningTest {

    /** Mean softmax cross-entropy of logits (N, K) against integer labels (N,). */
    private static Tensor crossEntropy(Tensor logits, Tensor labels) {
        return logits.logSoftmax(-1).mul(labels.oneHot((int) logits.dim(-1))).sum(-1).mean().neg();
    }

    /** Full-batch SGD for {@code steps} steps; returns the final loss. */
    private static double train(Module model, Tensor x, Tensor labels, double lr, int steps) {
        double loss = Double.NaN;
        for (int step = 0; step < steps; step++) {
            try (MemoryScope scope = MemoryScope.open()) {
                Tensor l = crossEntropy(model.call(x), labels);
                l.backward();
                loss = l.item();
                try (Grad ignored = Grad.disabled()) {
                    for (Parameter p : model.trainableParameters()) {
                        p.value().subInPlace(p.grad().mul(lr));
                        p.value().zeroGrad();
                    }
                }
            }
        }
        return loss;
    }

    private static double accuracy(Module model, Tensor x, Tensor labels) {
        try (Grad ignored = Grad.disabled()) {
            model.eval();
            long[] predicted = model.call(x).argmax(-1).toLongArray();
            model.train();
            long[] truth = labels.toLongArray();
            int right = 0;
            for (int i = 0; i < truth.length; i++) {
                right += predicted[i] == truth[i] ? 1 : 0;
            }
            return right / (double) truth.length;
        }
    }

    @Test
    void mlpLearnsXor() {
        Sequential mlp = new Sequential(new Dense(8).activation(Activation.TANH), new Dense(2));
        mlp.seed(1);
        Tensor x = Tensor.of(new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
        Tensor y = Tensor.of(new long[] {0, 1, 1, 0}, 4);
        double loss = train(mlp, x, y, 0.5, 300);
        assertTrue(loss < 0.05, "loss " + loss);
        assertEquals(1.0, accuracy(mlp, x, y));
    }

    @Test
    void smallCnnOverfits64RandomImages() {
        Generator gen = new Generator(11);
        Tensor images = Tensor.normal(gen, Shape.of(64, 6, 6, 1), 0, 1, DType.FLOAT32, Device.cpu());
        long[] classes = new long[64];
        for (int i = 0; i < classes.length; i++) {
            classes[i] = gen.nextInt(4);
        }
        Tensor labels = Tensor.of(classes, 64);
        // NOTE: momentum 0.9, not Keras' 0.99: after 60 steps 0.99^60 = 0.55 of the moving statistics
        // would still be their initial values, and the inference-mode accuracy checked below would lag.
        Sequential cnn = new Sequential(
                new Conv2D(8, 3).padding(Padding.SAME).activation(Activation.RELU), new MaxPooling2D(),
                new BatchNormalization().momentum(0.9), new Flatten(), new Dense(4));
        cnn.seed(2);
        double loss = train(cnn, images, labels, 0.2, 60);
        assertTrue(loss < 0.1, "loss " + loss);
        assertEquals(1.0, accuracy(cnn, images, labels));
    }
}
