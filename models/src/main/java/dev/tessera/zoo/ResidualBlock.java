package dev.tessera.zoo;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.BinaryOp;
import dev.tessera.ops.Elementwise;
import dev.tessera.nn.Activation;
import dev.tessera.nn.BatchNormalization;
import dev.tessera.nn.Conv2D;
import dev.tessera.nn.Module;
import dev.tessera.nn.Sequential;
import dev.tessera.nn.init.Initializer;

/**
 * One ResNet block over NHWC input, as torchvision builds it: the basic block (3x3, 3x3) of
 * ResNet-18/34 or the bottleneck (1x1, 3x3, 1x1 with 4x the channels) of ResNet-50/101/152 with the
 * stride on the 3x3 convolution (v1.5); convolutions without bias, each followed by batch norm; a
 * 1x1 convolution and batch norm on the shortcut when the stride or the channel count changes;
 * ReLU after the sum.
 */
public class ResidualBlock extends Module {
    private final long planes;
    private final int stride;
    private final boolean bottleneck;
    private Sequential residual;
    private Sequential shortcut;

    /**
     * @param planes the block's inner width (its output has {@code planes}, or 4 x planes for a bottleneck, channels)
     * @param stride 1, or 2 to halve height and width
     * @param bottleneck whether this is a bottleneck block
     */
    public ResidualBlock(long planes, int stride, boolean bottleneck) {
        if (planes < 1 || stride < 1) {
            throw new IllegalArgumentException("ResidualBlock: planes and stride must be positive — got planes="
                    + planes + ", stride=" + stride);
        }
        this.planes = planes;
        this.stride = stride;
        this.bottleneck = bottleneck;
    }

    @Override
    public String typeName() {
        return bottleneck ? "Bottleneck" : "BasicBlock";
    }

    /** Output channels: planes, or 4 x planes for a bottleneck. */
    public long outChannels() {
        return bottleneck ? 4 * planes : planes;
    }

    static Conv2D conv(long filters, int kernel, int stride) {
        return new PaddedConv2D(filters, kernel, stride, kernel / 2).useBias(false)
                .kernelInitializer(Initializer.heNormal());
    }

    /** Batch norm with PyTorch's defaults (epsilon 1e-5, running averages updated by 0.1 of the batch statistic). */
    static BatchNormalization norm() {
        return new BatchNormalization().epsilon(1e-5).momentum(0.9);
    }

    @Override
    protected void build(Shape... inputShapes) {
        Shape in = computeInput(inputShapes);
        if (bottleneck) {
            residual = child("residual", new Sequential(conv(planes, 1, 1), norm(), Activation.RELU.layer(),
                    conv(planes, 3, stride), norm(), Activation.RELU.layer(), conv(outChannels(), 1, 1), norm()));
        } else {
            residual = child("residual", new Sequential(conv(planes, 3, stride), norm(), Activation.RELU.layer(),
                    conv(planes, 3, 1), norm()));
        }
        residual.buildFor(in);
        if (stride != 1 || in.dim(3) != outChannels()) {
            shortcut = child("shortcut", new Sequential(conv(outChannels(), 1, stride), norm()));
            shortcut.buildFor(in);
        }
    }

    private Shape computeInput(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        expectRank(inputShapes[0], 4, "input (batch, height, width, channels)");
        return inputShapes[0];
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        Shape s = computeInput(inputShapes);
        return Shape.of(s.dim(0), (s.dim(1) - 1) / stride + 1, (s.dim(2) - 1) / stride + 1, outChannels());
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        computeInput(inputs[0].shape());
        Tensor x = inputs[0];
        Tensor identity = shortcut == null ? x : shortcut.call(x);
        return Activation.RELU.applyOver(Elementwise.binaryOver(BinaryOp.ADD, residual.call(x), identity));
    }
}
