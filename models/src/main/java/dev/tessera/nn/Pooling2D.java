package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.PoolSpec;
import dev.tessera.ops.Padding;
import dev.tessera.ops.Pooling;

/**
 * What MaxPooling2D and AveragePooling2D share: pool size (default 2x2), strides (default: the
 * pool size) and padding (default 'valid') over NHWC input, as in Keras.
 */
public abstract class Pooling2D<L extends Pooling2D<L>> extends Module {
    private final PoolSpec.Kind kind;
    private final int[] poolSize;
    private int[] strides;
    private Padding padding = Padding.VALID;

    protected Pooling2D(PoolSpec.Kind kind, int... poolSize) {
        this.kind = kind;
        this.poolSize = Layers.pair(typeName(), "poolSize", poolSize);
        this.strides = this.poolSize.clone();
    }

    @SuppressWarnings("unchecked")
    public L strides(int... strides) {
        requireNotBuilt("strides");
        this.strides = Layers.pair(typeName(), "strides", strides);
        return (L) this;
    }

    @SuppressWarnings("unchecked")
    public L padding(Padding padding) {
        requireNotBuilt("padding");
        this.padding = Layers.required(typeName(), "padding", padding);
        return (L) this;
    }

    @Override
    public Shape computeOutputShape(Shape... inputShapes) {
        expectInputCount(inputShapes.length, 1);
        Shape s = inputShapes[0];
        expectRank(s, 4, "input (batch, height, width, channels)");
        long oh = spec(s).outH(s.dim(1));
        long ow = spec(s).outW(s.dim(2));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(where() + ": pool " + poolSize[0] + "x" + poolSize[1]
                    + " does not fit the input — got shape " + s);
        }
        return Shape.of(s.dim(0), oh, ow, s.dim(3));
    }

    private PoolSpec spec(Shape s) {
        int[] ph = padding.amounts(s.dim(1), poolSize[0], strides[0], 1);
        int[] pw = padding.amounts(s.dim(2), poolSize[1], strides[1], 1);
        return new PoolSpec(kind, poolSize[0], poolSize[1], strides[0], strides[1], ph[0], ph[1], pw[0], pw[1]);
    }

    @Override
    protected Tensor forward(Tensor... inputs) {
        computeOutputShape(Layers.shapes(inputs));
        return Pooling.pool2d(inputs[0], spec(inputs[0].shape()));
    }
}
