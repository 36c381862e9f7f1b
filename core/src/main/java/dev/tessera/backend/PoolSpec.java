package dev.tessera.backend;

/**
 * Geometry of 2-D max or average pooling over NHWC input. Average pooling divides by the number
 * of window elements inside the input (padding excluded), as TensorFlow does.
 */
public record PoolSpec(Kind kind, int kernelH, int kernelW, int strideH, int strideW,
                       int padTop, int padBottom, int padLeft, int padRight) {

    /** Max or average. */
    public enum Kind { MAX, AVG }

    public PoolSpec {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("PoolSpec: pool size and strides must be >= 1");
        }
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
            throw new IllegalArgumentException("PoolSpec: padding must be >= 0");
        }
        // NOTE: padding as large as the window would make windows that lie wholly in the padding (max -inf, average 0/0).
        if (padTop >= kernelH || padBottom >= kernelH || padLeft >= kernelW || padRight >= kernelW) {
            throw new IllegalArgumentException("PoolSpec: padding must be smaller than the pool window — got pool "
                    + kernelH + "x" + kernelW + ", padding (" + padTop + ", " + padBottom + ", " + padLeft + ", " + padRight + ")");
        }
    }

    public long outH(long h) {
        return (h + padTop + padBottom - kernelH) / strideH + 1;
    }

    public long outW(long w) {
        return (w + padLeft + padRight - kernelW) / strideW + 1;
    }
}
