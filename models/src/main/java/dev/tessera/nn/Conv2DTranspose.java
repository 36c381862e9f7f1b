package dev.tessera.nn;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;

/**
 * Transposed 2-D convolution over NHWC input with Keras' kernel layout (kh, kw, filters, in): the
 * output is in * stride high and wide for 'same', and in * stride + max(dilated kernel - stride, 0)
 * for 'valid', as Keras computes it.
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
        long effective = (long) (kernelSize[axis] - 1) * dilation[axis] + 1;
        return padding == Padding.SAME ? in * strides[axis] : in * strides[axis] + Math.max(effective - strides[axis], 0);
    }

    @Override
    protected Tensor convolve(Tensor x, Tensor kernel) {
        Tensor y = Conv.conv2dTranspose(x, kernel, strides, padding, dilation);
        // NOTE: with 'valid' and a kernel smaller than the stride the op stops at the last tap,
        // (in - 1) * stride + kernel; Keras' output reaches in * stride, the extra rows and
        // columns holding no taps (zero before the bias).
        long[] target = outputSize(x.dim(1), x.dim(2));
        for (int axis = 1; axis <= 2; axis++) {
            long missing = target[axis - 1] - y.dim(axis);
            if (missing > 0) {
                y = Tensor.concat(axis, y, Tensor.zeros(y.shape().with(axis, missing), y.dtype(), y.device()));
            }
        }
        return y;
    }
}
