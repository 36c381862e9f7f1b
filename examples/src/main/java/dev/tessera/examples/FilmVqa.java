package dev.tessera.examples;

import dev.tessera.Tensor;
import dev.tessera.nn.Activation;
import dev.tessera.nn.AddSpatialCoordinates;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Embedding;
import dev.tessera.nn.FiLMResBlock;
import dev.tessera.nn.GRU;
import dev.tessera.nn.GlobalMaxPooling2D;
import dev.tessera.nn.Module;
import dev.tessera.ops.Padding;
import java.util.ArrayList;
import java.util.List;

/**
 * A FiLM visual question-answering model called as {@code model.call(questions, images)}: a GRU reads the
 * question (token ids, 0 = padding) into a conditioning vector; two strided convolutions extract image
 * features; coordinate maps are added; {@code resBlocks} FiLM residual blocks modulate the features by the
 * question; coordinates again, a 1x1 convolution, global max pooling and two dense layers give answer logits.
 * It works for any square image size.
 */
public final class FilmVqa extends Module {
    private final Embedding embedding;
    private final GRU gru;
    private final List<Module> stem = new ArrayList<>();
    private final AddSpatialCoordinates coords1;
    private final List<FiLMResBlock> blocks = new ArrayList<>();
    private final AddSpatialCoordinates coords2;
    private final Conv2D head;
    private final GlobalMaxPooling2D pool;
    private final Dense hidden;
    private final Dense logits;

    /** A model for a vocabulary of {@code vocabulary} token ids and {@code answers} classes, with {@code width} channels. */
    public FilmVqa(int vocabulary, int answers, int resBlocks, int width) {
        if (vocabulary < 2 || answers < 2 || resBlocks < 1 || width < 1) {
            throw new IllegalArgumentException("FilmVqa: need vocabulary >= 2, answers >= 2, resBlocks >= 1, width >= 1 — got "
                    + vocabulary + ", " + answers + ", " + resBlocks + ", " + width);
        }
        embedding = child("embedding", new Embedding(vocabulary, 64).maskZero(true));
        gru = child("gru", new GRU(2 * width));
        stem.add(child("stem_conv1", new Conv2D(width / 2, 3).strides(2).padding(Padding.SAME)));
        stem.add(child("stem_bn1", new BatchNormalization()));
        stem.add(child("stem_conv2", new Conv2D(width, 3).strides(2).padding(Padding.SAME)));
        stem.add(child("stem_bn2", new BatchNormalization()));
        coords1 = child("coords1", new AddSpatialCoordinates());
        for (int i = 0; i < resBlocks; i++) {
            blocks.add(child("resblock" + (i + 1), new FiLMResBlock(width)));
        }
        coords2 = child("coords2", new AddSpatialCoordinates());
        head = child("head_conv", new Conv2D(2 * width, 1).activation(Activation.RELU));
        pool = child("pool", new GlobalMaxPooling2D());
        hidden = child("hidden", new Dense(2 * width).activation(Activation.RELU));
        logits = child("logits", new Dense(answers));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        if (inputs.length != 2) {
            throw new IllegalArgumentException("FilmVqa: expected (questions, images) — got " + inputs.length + " inputs");
        }
        Tensor words = embedding.call(inputs[0]);
        Tensor q = gru.callMasked(embedding.computeMask(inputs[0], null), words);
        Tensor x = inputs[1];
        for (Module m : stem) {
            x = m.call(x);
            if (m instanceof BatchNormalization) {
                x = x.relu();
            }
        }
        x = coords1.call(x);
        for (FiLMResBlock b : blocks) {
            x = b.call(x, q);
        }
        x = head.call(coords2.call(x));
        return logits.call(hidden.call(pool.call(x)));
    }
}
