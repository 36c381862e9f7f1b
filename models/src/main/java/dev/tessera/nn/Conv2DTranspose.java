package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;

/**
 * Transposed 2-D convolution over NHWC input with Keras' kernel layout (kh, kw, filters, in): the
 * output is in * stride high and wide for 'same', (in - 1) * stride + dilated kernel for 'valid'.
 */
public class Conv2DTranspose extends ConvLayer<Conv2DTranspose> {

    /** {@code kernelSize}: one value for a square kernel, or (height, width). */
    public Conv2DTranspose(long filters, int... kernelSize) {
        super(filters, kernelSize);
    }

    @Override
    protected Shape kernelShape(long inChannels) {
        return Shape.of(kernelSize[0], kernelSize[1], filters, inChannels);
    }

    @Override
    protected int inChannelAxis() {
        return 3;
    }

    @Override
    protected long[] outputSize(long h, long w) {
        return new long[] {length(h, 0), length(w, 1)};
    }

    private long length(long in, int axis) {
        return padding == Padding.SAME ? in * strides[axis]
                : (in - 1) * strides[axis] + (long) (kernelSize[axis] - 1) * dilation[axis] + 1;
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel) {
        return Conv.conv2dTranspose(x, kernel, strides, padding, dilation);
    }
}
