package dev.tessera.zoo;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.Activation;
import dev.tessera.nn.AveragePooling2D;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Dense;
import dev.tessera.nn.Flatten;
import dev.tessera.nn.Module;
import dev.tessera.nn.Sequential;
import dev.tessera.ops.Padding;

/**
 * LeNet-5 in LeCun et al.'s 1998 layout over NHWC images: 6 5x5 filters, 2x2 average pooling, 16
 * 5x5 filters, 2x2 average pooling, dense 120, dense 84 (tanh after every convolution and hidden
 * dense layer) and a dense layer giving logits: 61,706 parameters on 32x32x1 with 10 classes.
 * On inputs smaller than 32x32 (28x28 MNIST) the first convolution pads 'same', as is common, so
 * that the 16 maps before the dense layers are again 5x5 and the count is unchanged.
 */
public class LeNet5 extends Module {
    private final int numClasses;
    private Sequential body;

    public LeNet5(int numClasses) {
        super("lenet5");
        if (numClasses < 1) {
            throw new IllegalArgumentException("LeNet5: numClasses must be positive — got " + numClasses);
        }
        this.numClasses = numClasses;
    }

    @Override
    public String typeName() {
        return "LeNet5";
    }

    public int numClasses() {
        return numClasses;
    }

    @Override
    protected void build(Shape... inputShapes) {
        Shape s = checkInput(inputShapes);
        boolean pad = s.dim(1) < 32 || s.dim(2) < 32;
        body = child("body", new Sequential(
                new Conv2D(6, 5).padding(pad ? Padding.SAME : Padding.VALID).activation(Activation.TANH),
                new AveragePooling2D(2),
                new Conv2D(16, 5).activation(Activation.TANH),
                new AveragePooling2D(2),
                new Flatten(),
                new Dense(120).activation(Activation.TANH),
                new Dense(84).activation(Activation.TANH),
                new Dense(numClasses)));
        body.buildFor(s);
    }

    private Shape checkInput(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        expectRank(inputShapes[0], 4, "images (batch, height, width, channels)");
        return inputShapes[0];
    }

    /** (batch, numClasses). */
    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        return Shape.of(checkInput(inputShapes).dim(0), numClasses);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        checkInput(inputs[0].shape());
        return body.call(inputs[0]);
    }
}
