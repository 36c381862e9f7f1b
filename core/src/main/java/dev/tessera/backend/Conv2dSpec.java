package dev.tessera.backend;

/**
 * Geometry of a 2-D convolution over NHWC input with an HWIO kernel: strides, explicit padding on
 * each side, and dilation. 'same' and 'valid' are turned into explicit padding by core.
 */
public record Conv2dSpec(int strideH, int strideW, int padTop, int padBottom, int padLeft, int padRight,
                         int dilationH, int dilationW) {

    public Conv2dSpec {
        if (strideH < 1 || strideW < 1 || dilationH < 1 || dilationW < 1) {
            throw new IllegalArgumentException("Conv2dSpec: strides and dilations must be >= 1 — got strides ("
                    + strideH + ", " + strideW + "), dilation (" + dilationH + ", " + dilationW + ")");
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("Conv2dSpec: padding must be >= 0");
        }
    }

    /** Output height for input height {@code h} and kernel height {@code kh}. */
    public long outH(long h, long kh) {
        return (h + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1;
    }

    /** Output width for input width {@code w} and kernel width {@code kw}. */
    public long outW(long w, long kw) {
        return (w + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1;
    }
}
