package dev.tessera.cuda.dnn;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Conv2dSpec;

/**
 * How one NHWC / HWIO convolution is laid out for cuDNN. Two decisions live here:
 *
 * <p><b>Padding.</b> cuDNN pads symmetrically, but TensorFlow's 'same' with stride 2 pads one more row
 * (column) at the bottom (right). Computing with the larger padding and cropping is wrong for
 * stride &gt; 1 (the window grid shifts), so the input is padded explicitly: cuDNN gets the symmetric
 * part min(top, bottom) and the excess rows and columns are zeros in a staged copy of the input
 * (for backward-data, the gradient of the staged input is computed and its interior copied out).
 * Symmetric padding, the common case, costs no copy.
 *
 * <p><b>Formats.</b> FLOAT32 uses CUDNN_TENSOR_NHWC for the tensors, whose filter layout is KRSC,
 * that is OHWI: the HWIO kernel is transposed into a staged OHWI copy (a strided copy; the weights are
 * small next to the activations) and backward-filter's OHWI result transposed back. FLOAT64 uses
 * NCHW / OIHW, because cuDNN's double-precision kernels are implemented for NCHW; its tensors are
 * staged in both directions (FLOAT64 convolution serves checks, not speed).
 */
public record ConvPlan(DType dtype, boolean nhwc, long n, long h, long w, long c, long kh, long kw, long o,
                       long oh, long ow, int padH, int padW, long extraTop, long extraLeft, long paddedH, long paddedW,
                       Conv2dSpec spec) {

    /** The plan for x (N, H, W, C) and w (KH, KW, C, O); fails naming the shapes if they do not fit. */
    public static ConvPlan of(String op, DType dtype, Shape x, Shape w, Conv2dSpec spec) {
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": cuDNN convolution takes FLOAT32 or FLOAT64 — got " + dtype);
        }
        if (x.rank() != 4 || w.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected x (N, H, W, C) and kernel (KH, KW, C, O) — got " + x
                    + " and " + w);
        }
        if (x.dim(3) != w.dim(2)) {
            throw new IllegalArgumentException(op + ": input channels " + x.dim(3) + " differ from kernel's " + w.dim(2)
                    + " — got " + x + " and " + w);
        }
        long oh = spec.outH(x.dim(1), w.dim(0));
        long ow = spec.outW(x.dim(2), w.dim(1));
        if (oh <= 0 || ow <= 0) {
            throw new IllegalArgumentException(op + ": kernel " + w + " does not fit input " + x + " with " + spec);
        }
        int padH = Math.min(spec.padTop(), spec.padBottom());
        int padW = Math.min(spec.padLeft(), spec.padRight());
        long extraTop = spec.padTop() - padH;
        long extraLeft = spec.padLeft() - padW;
        long paddedH = x.dim(1) + extraTop + spec.padBottom() - padH;
        long paddedW = x.dim(2) + extraLeft + spec.padRight() - padW;
        return new ConvPlan(dtype, dtype == DType.FLOAT32, x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(1),
                w.dim(3), oh, ow, padH, padW, extraTop, extraLeft, paddedH, paddedW, spec);
    }

    /** Whether the input needs explicitly padded staging (asymmetric padding). */
    public boolean explicitPadding() {
        return paddedH != h || paddedW != w;
    }

    /** Output shape (N, OH, OW, O). */
    public Shape outputShape() {
        return Shape.of(n, oh, ow, o);
    }

    /** Input shape (N, H, W, C). */
    public Shape inputShape() {
        return Shape.of(n, h, w, c);
    }

    /** Kernel shape (KH, KW, C, O). */
    public Shape kernelShape() {
        return Shape.of(kh, kw, c, o);
    }

    /**
     * Strides, over logical NHWC coordinates (n, y, x, ch), of a packed cuDNN tensor of dims
     * (n, rows, cols, ch) in this plan's format.
     */
    public long[] tensorStrides(long rows, long cols, long channels) {
        return nhwc ? new long[] {rows * cols * channels, cols * channels, channels, 1}
                : new long[] {channels * rows * cols, cols, 1, rows * cols};
    }

    /** The staged (padded) input as seen through logical NHWC coordinates of the unpadded input. */
    public Layout stagedInputInterior() {
        long[] s = tensorStrides(paddedH, paddedW, c);
        return new Layout(inputShape(), s, extraTop * s[1] + extraLeft * s[2]);
    }

    /** Elements of the staged (padded) input. */
    public long stagedInputNumel() {
        return n * paddedH * paddedW * c;
    }

    /** The staged output (or output gradient) through logical NHWC coordinates. */
    public Layout stagedOutput() {
        return new Layout(outputShape(), tensorStrides(oh, ow, o), 0);
    }

    /** The staged kernel (OHWI for NHWC, OIHW for NCHW) through logical HWIO coordinates (kh, kw, c, o). */
    public Layout stagedKernel() {
        long[] s = nhwc ? new long[] {kw * c, c, 1, kh * kw * c} : new long[] {kw, 1, kh * kw, c * kh * kw};
        return new Layout(kernelShape(), s, 0);
    }

    /** Whether an NHWC operand can be handed to cuDNN in place (no staging needed). */
    public boolean direct(Layout layout, boolean padded) {
        return nhwc && !padded && layout.isContiguous();
    }
}
