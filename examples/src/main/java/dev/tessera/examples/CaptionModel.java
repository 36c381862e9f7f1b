package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.nn.Activation;
import dev.tessera.nn.AdditiveAttention;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Embedding;
import dev.tessera.nn.LSTM;
import dev.tessera.nn.Module;
import dev.tessera.ops.Padding;

/**
 * An image captioner called as {@code model.call(images, tokens)}: two strided convolutions turn the image into a
 * grid of feature vectors; their mean gives the LSTM decoder's initial state; at every step the decoder's output
 * attends (additive attention) over the grid, and the output with its context gives next-token logits
 * (batch, time, vocabulary). {@link #greedy} decodes one token at a time.
 */
public final class CaptionModel extends Module {
    private final Conv2D conv1;
    private final Conv2D conv2;
    private final Dense project;
    private final Dense initH;
    private final Dense initC;
    private final Embedding embedding;
    private final LSTM lstm;
    private final AdditiveAttention attention;
    private final Dense logits;

    /** A captioner over {@code vocabulary} token ids with {@code units}-wide features and decoder. */
    public CaptionModel(int vocabulary, int units) {
        conv1 = child("conv1", new Conv2D(units / 2, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU));
        conv2 = child("conv2", new Conv2D(units, 3).strides(2).padding(Padding.SAME).activation(Activation.RELU));
        project = child("project", new Dense(units).activation(Activation.TANH));
        initH = child("init_h", new Dense(units).activation(Activation.TANH));
        initC = child("init_c", new Dense(units));
        embedding = child("embedding", new Embedding(vocabulary, units));
        lstm = child("lstm", new LSTM(units));
        lstm.returnSequences(true);
        attention = child("attention", new AdditiveAttention());
        logits = child("logits", new Dense(vocabulary));
    }

    /** Image features (batch, cells, units). */
    Tensor encode(Tensor images) {
        Tensor f = conv2.call(conv1.call(images));
        return project.call(f.reshape(f.dim(0), f.dim(1) * f.dim(2), f.dim(3)));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        Tensor features = encode(inputs[0]);
        Tensor mean = features.mean(1);
        Tensor[] out = lstm.callWithState(null, embedding.call(inputs[1]), initH.call(mean), initC.call(mean));
        return readout(out[0], features);
    }

    private Tensor readout(Tensor decoded, Tensor features) {
        return logits.call(Tensor.concat(-1, decoded, attention.call(decoded, features)));
    }

    /** Greedy decoding from {@code start}: (batch, steps) token ids, the most likely token at every step. */
    public long[][] greedy(Tensor images, long start, int steps) {
        Tensor features = encode(images);
        Tensor mean = features.mean(1);
        Tensor h = initH.call(mean);
        Tensor c = initC.call(mean);
        int batch = (int) images.dim(0);
        long[] token = new long[batch];
        java.util.Arrays.fill(token, start);
        long[][] out = new long[batch][steps];
        for (int t = 0; t < steps; t++) {
            Tensor[] step = lstm.callWithState(null, embedding.call(Tensor.of(token, batch, 1)), h, c);
            h = step[1];
            c = step[2];
            long[] next = readout(step[0], features).argmax(-1).toLongArray();
            for (int b = 0; b < batch; b++) {
                out[b][t] = next[b];
                token[b] = next[b];
            }
        }
        return out;
    }
}
