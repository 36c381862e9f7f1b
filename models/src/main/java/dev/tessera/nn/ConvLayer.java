package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;
import dev.tessera.ops.Padding;
import java.util.Arrays;

/**
 * What Conv2D and Conv2DTranspose share: configuration with Keras' names and defaults ('valid'
 * padding, glorot-uniform kernel, zero bias), the kernel and bias parameters, and NHWC input
 * checks. {@code L} is the concrete layer, so that the fluent setters return it.
 */
public abstract class ConvLayer<L extends ConvLayer<L>> extends Module {
    protected final long filters;
    protected final int[] kernelSize;
    protected int[] strides = {1, 1};
    protected int[] dilation = {1, 1};
    protected Padding padding = Padding.VALID;
    private Activation activation = Activation.LINEAR;
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializer.glorotUniform();
    private Initializer biasInitializer = Initializer.zeros();
    private Parameter kernel;
    private Parameter bias;

    protected ConvLayer(long filters, int... kernelSize) {
        if (filters <= 0) {
            throw new IllegalArgumentException(typeName() + ": expected a positive integer for filters — Received: filters="
                    + filters);
        }
        this.filters = filters;
        this.kernelSize = Layers.pair(typeName(), "kernelSize", kernelSize);
    }

    @SuppressWarnings("unchecked")
    private L self() {
        return (L) this;
    }

    public L strides(int... strides) {
        requireNotBuilt("strides");
        this.strides = Layers.pair(typeName(), "strides", strides);
        checkStridesAndDilation();
        return self();
    }

    public L dilation(int... dilation) {
        requireNotBuilt("dilation");
        this.dilation = Layers.pair(typeName(), "dilation", dilation);
        checkStridesAndDilation();
        return self();
    }

    private void checkStridesAndDilation() {
        if ((strides[0] > 1 || strides[1] > 1) && (dilation[0] > 1 || dilation[1] > 1)) {
            throw new IllegalArgumentException(typeName() + ": strides > 1 cannot be combined with dilation > 1 — Received: "
                    + "strides=" + Arrays.toString(strides) + ", dilation=" + Arrays.toString(dilation));
        }
    }

    public L padding(Padding padding) {
        requireNotBuilt("padding");
        this.padding = Layers.required(typeName(), "padding", padding);
        return self();
    }

    public L activation(Activation activation) {
        requireNotBuilt("activation");
        this.activation = Layers.required(typeName(), "activation", activation);
        return self();
    }

    public L useBias(boolean useBias) {
        requireNotBuilt("useBias");
        this.useBias = useBias;
        return self();
    }

    public L kernelInitializer(Initializer init) {
        requireNotBuilt("kernelInitializer");
        this.kernelInitializer = Layers.required(typeName(), "kernelInitializer", init);
        return self();
    }

    public L biasInitializer(Initializer init) {
        requireNotBuilt("biasInitializer");
        this.biasInitializer = Layers.required(typeName(), "biasInitializer", init);
        return self();
    }

    public long filters() {
        return filters;
    }

    /** The kernel's shape for {@code inChannels} input channels. */
    protected abstract Shape kernelShape(long inChannels);

    /** The kernel axis holding the input channels. */
    protected abstract int inChannelAxis();

    /** Output height and width for an input of height {@code h} and width {@code w}. */
    protected abstract long[] outputSize(long h, long w);

    /** The convolution itself, without bias or activation. */
    protected abstract Tensor convolve(Tensor x, Tensor kernel);

    /** The convolution plus the bias (null: none); layers whose op adds the bias itself override it. */
    protected Tensor convolve(Tensor x, Tensor kernel, Tensor bias) {
        Tensor y = convolve(x, kernel);
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected void build(Shape... inputShapes) {
        Shape s = checkInput(inputShapes);
        kernel = param("kernel", kernelShape(s.dim(3)), kernelInitializer, true);
        if (useBias) {
            bias = param("bias", Shape.of(filters), biasInitializer, true);
        }
    }

    private Shape checkInput(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        expectRank(inputShapes[0], 4, "input (batch, height, width, channels)");
        if (kernel != null) {
            expectLastDim(inputShapes[0], kernel.value().dim(inChannelAxis()), "input (batch, height, width, channels)");
        }
        return inputShapes[0];
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        Shape s = checkInput(inputShapes);
        long[] hw = outputSize(s.dim(1), s.dim(2));
        if (hw[0] <= 0 || hw[1] <= 0) {
            throw new IllegalArgumentException(where() + ": kernel " + kernelSize[0] + "x" + kernelSize[1]
                    + " does not fit the input — got shape " + s);
        }
        return Shape.of(s.dim(0), hw[0], hw[1], filters);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        Tensor y = convolve(inputs[0], kernel.value(), bias == null ? null : bias.value());
        return activation.applyOver(y);
    }
}
