package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Padding;

/**
 * The FiLM paper's residual block, called as {@code block.call(x, q)}: h = ReLU(1x1 conv(x));
 * out = ReLU(FiLM(BatchNorm(3x3 conv(h)), q)) + h, where the batch norm has no gamma or beta
 * (FiLM supplies them).
 */
public class FiLMResBlock extends Module {
    private final Conv2D conv1;
    private final Conv2D conv2;
    private final BatchNormalization norm;
    private final FiLM film;
    private final long filters;

    public FiLMResBlock(long filters) {
        if (filters <= 0) {
            throw new IllegalArgumentException("FiLMResBlock: expected a positive integer for filters — Received: filters="
                    + filters);
        }
        this.filters = filters;
        conv1 = child("conv1", new Conv2D(filters, 1).activation(Activation.RELU));
        conv2 = child("conv2", new Conv2D(filters, 3).padding(Padding.SAME));
        norm = child("bn", new BatchNormalization().center(false).scale(false));
        film = child("film", new FiLM());
    }

    @Override
    public String typeName() {
        return "FiLMResBlock";
    }

    @Override
    protected void build(Shape... inputShapes) {
        Shape out = computeOutputShape(inputShapes);
        conv1.buildFor(inputShapes[0]);
        conv2.buildFor(out);
        norm.buildFor(out);
        film.buildFor(out, inputShapes[1]);
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 2);
        expectRank(inputShapes[0], 4, "features x (batch, height, width, channels)");
        expectRank(inputShapes[1], 2, "conditioning q (batch, features)");
        return inputShapes[0].with(3, filters);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor h = conv1.call(inputs[0]);
        Tensor y = Activation.RELU.applyOver(film.call(norm.call(conv2.call(h)), inputs[1]));
        return y.add(h);
    }
}
