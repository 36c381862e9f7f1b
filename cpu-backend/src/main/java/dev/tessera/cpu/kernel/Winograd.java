package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;

/**
 * Stride-1, undilated 3x3 float32 convolutions by Winograd's minimal filtering F(2x2, 3x3): each
 * 2x2 output tile costs 16 multiplies per channel pair instead of 36, as 16 GEMMs over the batch's
 * tiles between a transform of the input and one of the output (native, in tessera_cpu.h). The
 * data gradient is the same correlation of dy with the kernel flipped and its channels swapped; the
 * filter gradient is its adjoint, 16 GEMMs summed over tiles. Turned off, with {@link WinogradStride2},
 * by {@code -Dtessera.cpu.winograd=false}, which leaves every convolution to im2col + GEMM.
 */
final class Winograd {
    private static final boolean ENABLED = Boolean.parseBoolean(System.getProperty("tessera.cpu.winograd", "true"));
    /** Points of the transformed 4x4 tile: one GEMM each. */
    private static final int POINTS = 16;
    /**
     * Fewest input and output channels for the forward pass and the data gradient: narrower GEMMs
     * lose the saving (benchmarks/RESULTS.md, "Winograd crossover").
     */
    private static final long MIN_CHANNELS = 16;
    /** Fewest channels for the filter gradient, whose (C x O) GEMMs over the tiles gain less. */
    private static final long MIN_FILTER_CHANNELS = 64;
    /** Smallest output side: below 8, the 2x2 tiles' overhang and the kernel transform outweigh the saving. */
    private static final long MIN_SIDE = 8;
    /** Tests set this to take every stride-1 3x3 float32 convolution, whatever its size. */
    static volatile boolean anySize;

    private Winograd() {
    }

    /** Whether the forward pass and data gradient of a kh x kw convolution from c to o channels under s go this way. */
    static boolean applies(DType t, Conv2dSpec s, long kh, long kw, long c, long o, long oh, long ow) {
        return eligible(t, s, kh, kw) && (anySize || c >= MIN_CHANNELS && o >= MIN_CHANNELS && oh >= MIN_SIDE
                && ow >= MIN_SIDE);
    }

    /** Whether the filter gradient goes this way. */
    static boolean appliesToFilterGradient(DType t, Conv2dSpec s, long kh, long kw, long c, long o, long oh, long ow) {
        return eligible(t, s, kh, kw) && (anySize || c >= MIN_FILTER_CHANNELS && o >= MIN_FILTER_CHANNELS
                && oh >= MIN_SIDE && ow >= MIN_SIDE);
    }

    /** Whether {@code -Dtessera.cpu.winograd=false} left Winograd's algorithms on (for every kernel shape). */
    static boolean enabled() {
        return ENABLED;
    }

    private static boolean eligible(DType t, Conv2dSpec s, long kh, long kw) {
        return ENABLED && t == DType.FLOAT32 && NativeKernels.available() && kh == 3 && kw == 3 && s.strideH() == 1
                && s.strideW() == 1 && s.dilationH() == 1 && s.dilationW() == 1;
    }

    /** y = conv2d(x, w) for x (n, h, w, c), w (3, 3, c, o) HWIO and y (n, oh, ow, o); addresses in bytes. */
    static void forward(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long x, long k,
                        long y) {
        correlate(x, n, h, w, c, s.padTop(), s.padLeft(), k, false, o, oh, ow, y);
    }

    /**
     * dx = the correlation of dy with the kernel turned by 180 degrees and C and O swapped, padded by
     * 2 - pad above and left: dx[i] = sum over k of dy[i + k - (2 - padTop)] w[2 - k].
     */
    static void backwardData(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long dy,
                             long k, long dx) {
        correlate(dy, n, oh, ow, o, 2 - s.padTop(), 2 - s.padLeft(), k, true, c, h, w, dx);
    }

    /**
     * Point p of the kernel turned by 180 degrees, in the transformed domain: points 0 and 3 of
     * each axis trade places (G with its columns reversed is G with rows 0 and 3 swapped).
     */
    private static int turned(int p) {
        int a = p / 4;
        int b = p % 4;
        return (a == 0 ? 3 : a == 3 ? 0 : a) * 4 + (b == 0 ? 3 : b == 3 ? 0 : b);
    }

    /**
     * out (n, oh, ow, co) = the stride-1 correlation of in (n, h, w, ci) with the 3x3 HWIO kernel
     * k, or with k turned by 180 degrees and its channels swapped (k is then (3, 3, co, ci)).
     */
    private static void correlate(long in, long n, long h, long w, long ci, long padTop, long padLeft, long k,
                                  boolean turn, long co, long oh, long ow, long out) {
        long th = (oh + 1) / 2;
        long tw = (ow + 1) / 2;
        WinogradPass.correlate(POINTS, n * th * tw, ci, co, ci, turn, Winograd::turned,
                u -> NativeKernels.winoFilter(k, turn ? co : ci, turn ? ci : co, u),
                (zero, t0, t1, at, plane) -> NativeKernels.winoInput(in, zero, h, w, ci, th, tw, padTop, padLeft, t0,
                        t1, at, plane),
                (zero, t0, t1, at, plane) -> NativeKernels.winoOutput(at, plane, t0, t1, co, th, tw, oh, ow, out));
    }

    /**
     * dw (3, 3, c, o) = the filter gradient for x (n, h, w, c) and dy (n, oh, ow, o): per tile the
     * input's transform times the transformed output gradient, summed over tiles by 16 GEMMs, then
     * brought back to 3x3.
     */
    static void backwardFilter(Conv2dSpec s, long n, long h, long w, long c, long o, long oh, long ow, long x,
                               long dy, long dw) {
        long th = (oh + 1) / 2;
        long tw = (ow + 1) / 2;
        WinogradPass.filterGradient(POINTS, n * th * tw, c, o, Math.max(c, o),
                (zero, t0, t1, at, plane) -> NativeKernels.winoInput(x, zero, h, w, c, th, tw, s.padTop(),
                        s.padLeft(), t0, t1, at, plane),
                (zero, t0, t1, at, plane) -> NativeKernels.winoGradOutput(dy, zero, t0, t1, o, th, tw, oh, ow, at,
                        plane),
                du -> NativeKernels.winoFilterGrad(du, c, o, dw));
    }
}
