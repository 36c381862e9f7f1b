package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;

/** A fully connected layer over the last axis: activation(x · kernel + bias) for x of shape (..., in). */
public class Dense extends Module implements PassesMask {
    private final long units;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private Parameter kernel;
    private Parameter bias;

    public Dense(long units) {
        if (units <= 0) {
            throw new IllegalArgumentException("Dense: expected a positive integer for units — Received: units=" + units);
        }
        this.units = units;
    }

    public Dense activation(Activation activation) {
        requireNotBuilt("activation");
        this.activation = Layers.required("Dense", "activation", activation);
        return this;
    }

    public Dense useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return this;
    }

    public Dense kernelInitializer(Initializer init) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Layers.required("Dense", "kernelInitializer", init);
        return this;
    }

    public Dense biasInitializer(Initializer init) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Layers.required("Dense", "biasInitializer", init);
        return this;
    }

    public long units() {
        return units;
    }

    @Override
    protected void build(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        expectMinRank(inputShapes[0], 2, "input (..., features)");
        kernel = param("kernel", Shape.of(inputShapes[0].dim(-1), units), kernelInitializer, true);
        if (useBias) {
            bias = param("bias", Shape.of(units), biasInitializer, true);
        }
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        expectMinRank(inputShapes[0], 2, "input (..., features)");
        return inputShapes[0].with(-1, units);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        Tensor x = inputs[0];
        expectMinRank(x.shape(), 2, "input (..., features)");
        expectLastDim(x, kernel.value().dim(0), "input");
        Tensor y = x.matmul(kernel.value());
        if (bias != null) {
            y = y.add(bias.value());
        }
        return activation.applyOver(y);
    }
}
