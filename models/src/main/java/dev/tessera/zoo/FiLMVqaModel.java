package dev.tessera.zoo;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Grad;
import dev.tessera.memory.MemoryScope;
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
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Padding;
import java.util.ArrayList;
import java.util.List;

/**
 * The coursework's FiLM visual question answering model, called as
 * {@code model.call(questionTokens, images)} with INT32/INT64 tokens (batch, length), 0 meaning
 * padding, and FLOAT32 NHWC images of any size with 3 channels; it returns answer logits
 * (batch, numAnswers). A masked two-layer GRU encodes the question into q; two strided
 * convolutions with batch norm extract image features, which get coordinate channels, pass through
 * N FiLM residual blocks conditioned on q, get coordinate channels again and go to a 1x1
 * convolution, global max pooling and two dense layers. With vocabulary 82, 30 answers and one
 * block it has the coursework's 990,878 parameters (768 of them batch-norm statistics).
 */
public class FiLMVqaModel extends Module {
    static final int EMBEDDING = 64;
    static final int QUESTION_UNITS = 128;
    static final int FEATURE_MAPS = 128;
    static final int CLASSIFIER_UNITS = 512;

    private final int vocabSize;
    private final int numAnswers;
    private int resBlocks = 1;
    private Sequential question;
    private Sequential features;
    private AddSpatialCoordinates coords;
    private final List<FiLMResBlock> blocks = new ArrayList<>();
    private AddSpatialCoordinates coords2;
    private Sequential classifier;

    /**
     * @param vocabSize number of token ids including the padding id 0
     * @param numAnswers number of answer classes (logits per question)
     */
    public FiLMVqaModel(int vocabSize, int numAnswers) {
        super("film_vqa");
        if (vocabSize < 2) {
            throw new IllegalArgumentException("FiLMVqaModel: vocabSize must be at least 2 (padding and one token) — got "
                    + vocabSize);
        }
        if (numAnswers < 1) {
            throw new IllegalArgumentException("FiLMVqaModel: numAnswers must be positive — got " + numAnswers);
        }
        this.vocabSize = vocabSize;
        this.numAnswers = numAnswers;
    }

    /** Sets the number of FiLM residual blocks (1 as in the coursework, 4 in the FiLM paper); before the first call. */
    public FiLMVqaModel resBlocks(int n) {
        requireNotBuilt("resBlocks");
        if (n < 1) {
            throw new IllegalArgumentException(where() + ": resBlocks must be at least 1 — got " + n);
        }
        resBlocks = n;
        return this;
    }

    public int resBlocks() {
        return resBlocks;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int numAnswers() {
        return numAnswers;
    }

    @Override
    public String typeName() {
        return "FiLMVqaModel";
    }

    /** Creates the sub-modules in the coursework's order and builds them for these (tokens, images) shapes. */
    @Override
    protected void build(Shape... inputShapes) {
        Shape images = checkShapes(inputShapes)[1];
        question = child("question", new Sequential(new Embedding(vocabSize, EMBEDDING).maskZero(true),
                new GRU(QUESTION_UNITS).returnSequences(true), new GRU(QUESTION_UNITS)));
        features = child("features", new Sequential(
                new Conv2D(FEATURE_MAPS, 4).strides(2).padding(Padding.SAME), new BatchNormalization(),
                Activation.RELU.layer(),
                new Conv2D(FEATURE_MAPS, 4).strides(2).padding(Padding.SAME), new BatchNormalization(),
                Activation.RELU.layer()));
        coords = child("coords", new AddSpatialCoordinates());
        for (int i = 0; i < resBlocks; i++) {
            blocks.add(child("film_block" + (i == 0 ? "" : "_" + i), new FiLMResBlock(FEATURE_MAPS)));
        }
        coords2 = child("coords_1", new AddSpatialCoordinates());
        classifier = child("classifier", new Sequential(new Conv2D(CLASSIFIER_UNITS, 1), new GlobalMaxPooling2D(),
                new Dense(CLASSIFIER_UNITS).activation(Activation.RELU), new Dense(numAnswers)));

        Shape q = Shape.of(images.dim(0), QUESTION_UNITS);
        question.buildFor(inputShapes[0]);
        features.buildFor(images);
        Shape x = coords.computeOutputShape(features.computeOutputShape(images));
        for (FiLMResBlock block : blocks) {
            block.buildFor(x, q);
            x = block.computeOutputShape(x, q);
        }
        classifier.buildFor(coords2.computeOutputShape(x));
    }

    private Shape[] checkShapes(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 2);
        expectRank(inputShapes[0], 2, "question tokens (batch, length)");
        expectRank(inputShapes[1], 4, "images (batch, height, width, 3)");
        expectLastDim(inputShapes[1], 3, "images (batch, height, width, 3)");
        if (inputShapes[0].dim(0) != inputShapes[1].dim(0)) {
            throw new IllegalArgumentException(where() + ": questions and images must have the same batch size — got "
                    + inputShapes[0] + " and " + inputShapes[1]);
        }
        return inputShapes;
    }

    /** (batch, numAnswers). */
    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        return Shape.of(checkShapes(inputShapes)[0].dim(0), numAnswers);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 2);
        checkShapes(inputs[0].shape(), inputs[1].shape());
        if (inputs[0].dtype().isFloating()) {
            throw new IllegalArgumentException(where() + ": question tokens must be INT32 or INT64 — got "
                    + inputs[0].dtype() + " of shape " + inputs[0].shape());
        }
        Tensor q = question.call(inputs[0]);
        Tensor x = coords.call(features.call(inputs[1]));
        for (FiLMResBlock block : blocks) {
            x = block.call(x, q);
        }
        return classifier.call(coords2.call(x));
    }

    /**
     * Builds for a batch of one question of {@code tokensWithoutBatch} and images of
     * {@code imagesWithoutBatch}, runs it once on such a batch (in inference mode, without
     * gradients) so every row has its output shape, and returns the summary table.
     */
    @Override
    public String summary(Shape... inputShapesWithoutBatch) {
        expectInputCount(inputShapesWithoutBatch.length, 2);
        expectRank(inputShapesWithoutBatch[0], 1, "question shape without batch (length)");
        expectRank(inputShapesWithoutBatch[1], 3, "image shape without batch (height, width, 3)");
        Shape tokens = Shape.of(1, inputShapesWithoutBatch[0].dim(0));
        long[] img = inputShapesWithoutBatch[1].toArray();
        Shape images = Shape.of(1, img[0], img[1], img[2]);
        buildFor(tokens, images);
        boolean training = isTraining();
        try (MemoryScope scope = MemoryScope.open(); Grad ignored = Grad.disabled()) {
            eval();
            call(Tensor.ones(tokens, DType.INT64, device()), Tensor.zeros(images, dtype(), device()));
        } finally {
            if (training) {
                train();
            }
        }
        return summary();
    }
}
