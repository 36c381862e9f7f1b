package dev.tessera.zoo;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.PoolSpec;
import dev.tessera.nn.Module;
import dev.tessera.ops.Pooling;

/**
 * Max pooling over NHWC input with the same explicit padding on every side, padded positions never
 * winning, as PyTorch's {@code nn.MaxPool2d(kernel, stride, padding)} (torchvision's ResNet stem:
 * 3x3, stride 2, padding 1); no weights.
 */
public class PaddedMaxPooling2D extends Module {
    private final int pool;
    private final int stride;
    private final int pad;

    public PaddedMaxPooling2D(int pool, int stride, int pad) {
        if (pool < 1 || stride < 1 || pad < 0 || pad > pool / 2) {
            throw new IllegalArgumentException("PaddedMaxPooling2D: expected pool >= 1, stride >= 1 and 0 <= pad <= pool/2"
                    + " — got pool=" + pool + ", stride=" + stride + ", pad=" + pad);
        }
        this.pool = pool;
        this.stride = stride;
        this.pad = pad;
    }

    @Override
    public String typeName() {
        return "MaxPooling2D";
    }

    private PoolSpec spec() {
        return new PoolSpec(PoolSpec.Kind.MAX, pool, pool, stride, stride, pad, pad, pad, pad);
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectRank(s, 4, "input (batch, height, width, channels)");
        long oh = spec().outH(s.dim(1));
        long ow = spec().outW(s.dim(2));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(where() + ": pool " + pool + "x" + pool + " does not fit the input — got shape " + s);
        }
        return Shape.of(s.dim(0), oh, ow, s.dim(3));
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        expectInputCount(inputs.length, 1);
        computeOutputShape(inputs[0].shape());
        return Pooling.pool2d(inputs[0], spec());
    }
}
