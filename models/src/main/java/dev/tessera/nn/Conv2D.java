package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.ops.Conv;

/**
 * 2-D convolution over NHWC input with an HWIO kernel (kh, kw, in, filters), as Keras' Conv2D;
 * 'same' padding puts the odd pixel at the bottom/right, as TensorFlow does.
 */
public class Conv2D extends ConvLayer<Conv2D> {

    /** {@code kernelSize}: one value for a square kernel, or (height, width). */
    public Conv2D(long filters, int... kernelSize) {
        super(filters, kernelSize);
    }

    @Override
    protected Shape kernelShape(long inChannels) {
        return Shape.of(kernelSize[0], kernelSize[1], inChannels, filters);
    }

    @Override
    protected int inChannelAxis() {
        return 2;
    }

    @Override
    protected long[] outputSize(long h, long w) {
        int[] ph = padding.amounts(h, kernelSize[0], strides[0], dilation[0]);
        int[] pw = padding.amounts(w, kernelSize[1], strides[1], dilation[1]);
        Conv2dSpec spec = new Conv2dSpec(strides[0], strides[1], ph[0], ph[1], pw[0], pw[1], dilation[0], dilation[1]);
        return new long[] {spec.outH(h, kernelSize[0]), spec.outW(w, kernelSize[1])};
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel) {
        return Conv.conv2d(x, kernel, strides, padding, dilation);
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel, Tensor bias) {
        return Conv.conv2d(x, kernel, bias, strides, padding, dilation);
    }
}
