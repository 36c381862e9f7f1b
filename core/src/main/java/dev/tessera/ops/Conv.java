package dev.tessera.ops;

import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.autograd.Node;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;

/** 2-D convolution and transposed convolution over NHWC input with HWIO kernels. */
public final class Conv {
    private Conv() {
    }

    /** Convolution with TensorFlow-style 'same'/'valid' padding. */
    public static Tensor conv2d(Tensor x, Tensor w, int[] strides, Padding padding, int[] dilation) {
        return conv2d(x, w, null, strides, padding, dilation);
    }

    /** Convolution with explicit geometry: x (N, H, W, C), w (KH, KW, C, O) give (N, OH, OW, O). */
    public static Tensor conv2d(Tensor x, Tensor w, Conv2dSpec spec) {
        return conv2d(x, w, null, spec);
    }

    /**
     * Convolution plus a bias of shape (O) (or none, if null) as one op: the bias is added in place
     * into the convolution's output, so a layer holds one output-sized tensor for the backward pass
     * instead of two, and its gradient is the sum of the output gradient over N, OH and OW.
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, Conv2dSpec spec) {
        check("conv2d", x, w);
        if (bias != null) {
            Checks.sameDevice("conv2d", x, bias);
            Checks.sameDtype("conv2d", x, bias);
            if (bias.rank() != 1 || bias.dim(0) != w.dim(3)) {
                throw new IllegalArgumentException("conv2d: bias must have shape (" + w.dim(3) + ") for kernel "
                        + w.shape() + " — got " + bias.shape());
            }
        }
        if (spec == null) {
            throw new IllegalArgumentException("conv2d: spec must not be null");
        }
        long oh = spec.outH(x.dim(1), w.dim(0));
        long ow = spec.outW(x.dim(2), w.dim(1));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException("conv2d: kernel " + w.shape() + " with " + spec
                    + " does not fit input " + x.shape());
        }
        Tensor y = Tensor.empty(Shape.of(x.dim(0), oh, ow, w.dim(3)), x.dtype(), x.device());
        x.backend().conv2d(spec, x.operand(), w.operand(), y.operand());
        if (bias != null) {
            x.backend().binary(BinaryOp.ADD, y.operand(), bias.broadcastTo(y.shape()).operand(), y.operand());
        }
        return Node.record(y, "conv2d", g -> new Tensor[] {
            x.requiresGrad() ? backwardData(spec, g, w, x.shape()) : null,
            w.requiresGrad() ? backwardFilter(spec, x, g, w.shape()) : null,
            bias != null && bias.requiresGrad() ? g.sum(0, 1, 2) : null
        }, x, w, bias);
    }

    /** {@link #conv2d(Tensor, Tensor, int[], Padding, int[])} plus a bias of shape (O), as one op. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] strides, Padding padding, int[] dilation) {
        check("conv2d", x, w);
        geometry("conv2d", strides, padding, dilation);
        int[] ph = padding.amounts(x.dim(1), (int) w.dim(0), strides[0], dilation[0]);
        int[] pw = padding.amounts(x.dim(2), (int) w.dim(1), strides[1], dilation[1]);
        return conv2d(x, w, bias, new Conv2dSpec(strides[0], strides[1], ph[0], ph[1], pw[0], pw[1], dilation[0],
                dilation[1]));
    }

    /**
     * Transposed convolution (the gradient of conv2d with respect to its input), as Keras'
     * Conv2DTranspose: x (N, H, W, C), w (KH, KW, O, C) give (N, OH, OW, O) with OH = H * stride
     * for SAME and (H - 1) * stride + dilated kernel height for VALID.
     */
    public static Tensor conv2dTranspose(Tensor x, Tensor w, int[] strides, Padding padding, int[] dilation) {
        Checks.rank("conv2dTranspose", x, 4, "input");
        Checks.rank("conv2dTranspose", w, 4, "kernel");
        Checks.sameDevice("conv2dTranspose", x, w);
        Checks.sameDtype("conv2dTranspose", x, w);
        Checks.floating("conv2dTranspose", x);
        geometry("conv2dTranspose", strides, padding, dilation);
        if (w.dim(3) != x.dim(3)) {
            throw new IllegalArgumentException("conv2dTranspose: kernel " + w.shape() + " expects " + w.dim(3)
                    + " input channels — got input " + x.shape());
        }
        long oh = outTransposed(x.dim(1), (int) w.dim(0), strides[0], dilation[0], padding);
        long ow = outTransposed(x.dim(2), (int) w.dim(1), strides[1], dilation[1], padding);
        int[] ph = padding.amounts(oh, (int) w.dim(0), strides[0], dilation[0]);
        int[] pw = padding.amounts(ow, (int) w.dim(1), strides[1], dilation[1]);
        Conv2dSpec spec = new Conv2dSpec(strides[0], strides[1], ph[0], ph[1], pw[0], pw[1], dilation[0], dilation[1]);
        Shape outShape = Shape.of(x.dim(0), oh, ow, w.dim(2));
        Tensor y = Tensor.empty(outShape, x.dtype(), x.device());
        x.backend().conv2dBackwardData(spec, x.operand(), w.operand(), y.operand());
        return Node.record(y, "conv2dTranspose", g -> new Tensor[] {
            x.requiresGrad() ? conv2d(g, w, spec) : null,
            w.requiresGrad() ? backwardFilter(spec, g, x, w.shape()) : null
        }, x, w);
    }

    private static long outTransposed(long in, int k, int stride, int dilation, Padding padding) {
        return padding == Padding.SAME ? in * stride : (in - 1) * stride + (long) (k - 1) * dilation + 1;
    }

    private static Tensor backwardData(Conv2dSpec spec, Tensor dy, Tensor w, Shape xShape) {
        Tensor dx = Tensor.empty(xShape, dy.dtype(), dy.device());
        dy.backend().conv2dBackwardData(spec, dy.operand(), w.operand(), dx.operand());
        return dx;
    }

    private static Tensor backwardFilter(Conv2dSpec spec, Tensor x, Tensor dy, Shape wShape) {
        Tensor dw = Tensor.empty(wShape, dy.dtype(), dy.device());
        dy.backend().conv2dBackwardFilter(spec, x.operand(), dy.operand(), dw.operand());
        return dw;
    }

    private static void geometry(String op, int[] strides, Padding padding, int[] dilation) {
        Checks.pair(op, strides, "strides");
        Checks.pair(op, dilation, "dilation");
        Checks.padding(op, padding);
    }

    private static void check(String op, Tensor x, Tensor w) {
        Checks.rank(op, x, 4, "input (N, H, W, C)");
        Checks.rank(op, w, 4, "kernel (KH, KW, C, O)");
        Checks.sameDevice(op, x, w);
        Checks.sameDtype(op, x, w);
        Checks.floating(op, x);
        if (w.dim(2) != x.dim(3)) {
            throw new IllegalArgumentException(op + ": kernel " + w.shape() + " expects " + w.dim(2)
                    + " input channels — got input " + x.shape());
        }
    }
}
