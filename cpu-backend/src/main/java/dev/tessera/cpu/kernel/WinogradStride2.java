package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;

/**
 * 4x4 stride-2 float32 convolutions by Winograd's F(2x2, 2x2) on their space-to-depth form: with
 * X'[i, j, (r, s, c)] = x[2i + r - padTop, 2j + s - padLeft, c], the convolution is a 2x2 stride-1
 * correlation of X' (4C channels) with the kernel regrouped the same way, and each 2x2 output tile
 * costs 9 multiplies per channel pair instead of 16, as 9 GEMMs. The transforms add and subtract
 * only (no scaling). The data gradient is the full correlation of dy with the 2x2 kernel turned and
 * its channels swapped, written back through the view; the filter gradient is the adjoint.
 */
final class WinogradStride2 {
    /** Points of the transformed 3x3 tile: one GEMM each. */
    private static final int POINTS = 9;
    /** Fewest input and output channels; the 3-channel first layer's 12-wide GEMMs would lose. */
    private static final long MIN_CHANNELS = 16;
    /** Smallest output side. */
    private static final long MIN_SIDE = 8;
    /** Tests set this to take every 4x4 stride-2 float32 convolution, whatever its size. */
    static volatile boolean anySize;

    private WinogradStride2() {
    }

    /** Whether a kh x kw convolution from c to o channels under s goes this way (all three passes). */
    static boolean applies(DType t, Conv2dSpec s, long kh, long kw, long c, long o, long oh, long ow) {
        return Winograd.enabled() && t == DType.FLOAT32 && NativeKernels.available() && kh == 4 && kw == 4
                && s.strideH() == 2 && s.strideW() == 2 && s.dilationH() == 1 && s.dilationW() == 1
                && (anySize || c >= MIN_CHANNELS && o >= MIN_CHANNELS && oh >= MIN_SIDE && ow >= MIN_SIDE);
    }

    /** The transformed point of the turned 2x2 kernel: points 0 and 2 of each axis trade places. */
    private static int turned(int p) {
        int a = p / 3;
        int b = p % 3;
        return (2 - a) * 3 + (2 - b);
    }

    /** y = conv2d(x, w) for x (n, h, w, c), w (4, 4, c, o) and y (n, oh, ow, o); addresses in bytes. */
    static void forward(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long x, long k,
                        long y) {
        correlate(x, h, w, c, 2, s.padTop(), s.padLeft(), n, oh, ow, k, 4 * c, o, false, y, oh, ow, 1, 0, 0);
    }

    /**
     * dx: in X' space, the correlation of dy (padded by one above and left) with the 2x2 kernel turned
     * and its channels swapped, over (oh + 1) x (ow + 1) pixels, each written to its place in x.
     */
    static void backwardData(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long dy,
                             long k, long dx) {
        if (h > 2 * oh + 2 - s.padTop() || w > 2 * ow + 2 - s.padLeft()) {
            // Rows or columns that no output reaches keep a zero gradient.
            Mem.zero(dx, n * h * w * c * 4);
        }
        correlate(dy, oh, ow, o, 1, 1, 1, n, oh + 1, ow + 1, k, o, 4 * c, true, dx, h, w, 2, s.padTop(), s.padLeft());
    }

    /**
     * out = the 2x2 stride-1 correlation, over an X' space of xh x xw pixels, of the view (block
     * inBlock, padded above and left) of in (n, h, w, c) with the kernel's transform (turned and
     * transposed when turn), written through the view (outBlock, outTop, outLeft) into out of
     * outH x outW pixels.
     */
    private static void correlate(long in, long h, long w, long c, long inBlock, long padTop, long padLeft, long n,
                                  long xh, long xw, long k, long ci, long co, boolean turn, long out, long outH,
                                  long outW, long outBlock, long outTop, long outLeft) {
        long th = (xh + 1) / 2;
        long tw = (xw + 1) / 2;
        long outC = co / (outBlock * outBlock);
        WinogradPass.correlate(POINTS, n * th * tw, ci, co, c, turn, WinogradStride2::turned,
                u -> NativeKernels.wino3Filter(k, turn ? co / 4 : ci / 4, turn ? ci : co, u),
                (zero, t0, t1, at, plane) -> NativeKernels.wino3Input(in, zero, h, w, c, inBlock, th, tw, padTop,
                        padLeft, t0, t1, at, plane),
                (zero, t0, t1, at, plane) -> NativeKernels.wino3Output(at, plane, t0, t1, outC, outBlock, th, tw, xh,
                        xw, outH, outW, outTop, outLeft, out));
    }

    /** dw (4, 4, c, o) for x (n, h, w, c) and dy (n, oh, ow, o): 9 GEMMs over the tiles, then back to 4x4. */
    static void backwardFilter(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long x,
                               long dy, long dw) {
        long th = (oh + 1) / 2;
        long tw = (ow + 1) / 2;
        WinogradPass.filterGradient(POINTS, n * th * tw, 4 * c, o, Math.max(c, o),
                (zero, t0, t1, at, plane) -> NativeKernels.wino3Input(x, zero, h, w, c, 2, th, tw, s.padTop(),
                        s.padLeft(), t0, t1, at, plane),
                (zero, t0, t1, at, plane) -> NativeKernels.wino3GradOutput(dy, zero, t0, t1, o, th, tw, oh, ow, at,
                        plane),
                du -> NativeKernels.wino3FilterGrad(du, c, o, dw));
    }
}
