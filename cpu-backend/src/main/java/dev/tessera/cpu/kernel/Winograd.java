package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;

/**
 * Stride-1, undilated 3x3 float32 convolutions by Winograd's minimal filtering F(2x2, 3x3): each
 * 2x2 output tile costs 16 multiplies per channel pair instead of 36, as 16 GEMMs over the batch's
 * tiles between a transform of the input and one of the output (native, in tessera_cpu.h). The
 * data gradient is the same correlation of dy with the kernel flipped and its channels swapped; the
 * filter gradient is its adjoint, 16 GEMMs summed over tiles. Turned off with
 * {@code -Dtessera.cpu.winograd=false}, which leaves every convolution to im2col + GEMM.
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

    private static boolean eligible(DType t, Conv2dSpec s, long kh, long kw) {
        return ENABLED && t == DType.FLOAT32 && NativeKernels.available() && kh == 3 && kw == 3 && s.strideH() == 1
                && s.strideW() == 1 && s.dilationH() == 1 && s.dilationW() == 1;
    }

    /**
     * Tiles per batch chunk, so that both transformed operands and the fixed part of the scratch
     * block (the transformed kernel and a zero row) fit in the column cap: the block then falls in
     * the same size class as im2col's and the block cache keeps one for both.
     */
    private static long chunkTiles(long tiles, long ci, long co, long fixedBytes) {
        long perTile = POINTS * (ci + co) * 4L;
        long chunk = Math.max(1, Math.min(tiles, (Conv2d.columnBytes - fixedBytes) / perTile));
        Gemm.checkInt("conv2d (Winograd)", chunk * ci, chunk * co, ci * co);
        return chunk;
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
        long tiles = n * th * tw;
        long uBytes = POINTS * ci * co * 4;
        long zeroBytes = ci * 4;
        long chunk = chunkTiles(tiles, ci, co, uBytes + zeroBytes);
        long vPlane = chunk * ci;
        long mPlane = chunk * co;
        long bytes = uBytes + zeroBytes + POINTS * (vPlane + mPlane) * 4;
        long u = Conv2d.scratch(bytes);
        try {
            long zero = u + uBytes;
            long v = zero + zeroBytes;
            long m = v + POINTS * vPlane * 4;
            Mem.zero(zero, zeroBytes);
            if (turn) {
                NativeKernels.winoFilter(k, co, ci, u);
            } else {
                NativeKernels.winoFilter(k, ci, co, u);
            }
            long inGrain = Math.max(1, Parallel.GRAIN / (POINTS * ci));
            long outGrain = Math.max(1, Parallel.GRAIN / (POINTS * co));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, inGrain, (r0, r1) -> NativeKernels.winoInput(in, zero, h, w, ci, th, tw, padTop,
                        padLeft, first + r0, first + r1, v + r0 * ci * 4, vPlane));
                for (int p = 0; p < POINTS; p++) {
                    long plane = u + (turn ? turned(p) : p) * ci * co * 4;
                    Blas.gemm(DType.FLOAT32, false, turn, (int) tb, (int) co, (int) ci, 1.0, v + p * vPlane * 4,
                            (int) ci, plane, (int) (turn ? ci : co), 0.0, m + p * mPlane * 4, (int) co);
                }
                Parallel.forRange(tb, outGrain, (r0, r1) -> NativeKernels.winoOutput(m + r0 * co * 4, mPlane,
                        first + r0, first + r1, co, th, tw, oh, ow, out));
            }
        } finally {
            Conv2d.freeScratch(u, bytes);
        }
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
        long tiles = n * th * tw;
        long uBytes = POINTS * c * o * 4;
        long zeroBytes = Math.max(c, o) * 4;
        long chunk = chunkTiles(tiles, c, o, uBytes + zeroBytes);
        long vPlane = chunk * c;
        long gPlane = chunk * o;
        long bytes = uBytes + zeroBytes + POINTS * (vPlane + gPlane) * 4;
        long du = Conv2d.scratch(bytes);
        try {
            long zero = du + uBytes;
            long v = zero + zeroBytes;
            long g = v + POINTS * vPlane * 4;
            Mem.zero(zero, zeroBytes);
            long grain = Math.max(1, Parallel.GRAIN / (POINTS * (c + o)));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, grain, (r0, r1) -> {
                    NativeKernels.winoInput(x, zero, h, w, c, th, tw, s.padTop(), s.padLeft(), first + r0, first + r1,
                            v + r0 * c * 4, vPlane);
                    NativeKernels.winoGradOutput(dy, zero, first + r0, first + r1, o, th, tw, oh, ow, g + r0 * o * 4,
                            gPlane);
                });
                for (int p = 0; p < POINTS; p++) {
                    Blas.gemm(DType.FLOAT32, true, false, (int) c, (int) o, (int) tb, 1.0, v + p * vPlane * 4, (int) c,
                            g + p * gPlane * 4, (int) o, t0 == 0 ? 0.0 : 1.0, du + p * c * o * 4, (int) o);
                }
            }
            NativeKernels.winoFilterGrad(du, c, o, dw);
        } finally {
            Conv2d.freeScratch(du, bytes);
        }
    }
}
