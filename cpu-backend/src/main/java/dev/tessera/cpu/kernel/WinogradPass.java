package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import java.util.function.IntUnaryOperator;
import java.util.function.LongConsumer;

/**
 * The loop both Winograd convolutions share: the batch's tiles in chunks that fit the column cap,
 * a native transform into one plane per point of the transformed tile, one GEMM per point, and the
 * transform back; or, for a filter gradient, two transforms and GEMMs summed over the chunks.
 * Addresses are in bytes, sizes in floats.
 */
final class WinogradPass {
    private WinogradPass() {
    }

    /** A native transform of tiles [t0, t1) to or from planes {@code plane} floats apart, row t0 at {@code at}. */
    @FunctionalInterface
    interface Tiles {
        void run(long zero, long t0, long t1, long at, long plane);
    }

    /** Tiles per chunk, so that both transformed operands and the fixed part of the scratch fit in the column cap. */
    private static long chunkTiles(int points, long tiles, long ci, long co, long fixedBytes) {
        long perTile = points * (ci + co) * 4L;
        long chunk = Math.max(1, Math.min(tiles, (Conv2d.columnBytes - fixedBytes) / perTile));
        Gemm.checkInt("conv2d (Winograd)", chunk * ci, chunk * co, ci * co);
        return chunk;
    }

    /**
     * A correlation of ci input channels into co output channels: {@code kernel} writes the
     * kernel's points planes of (ci x co) at the address it is given, or of (co x ci) when turn (a
     * turned, transposed kernel, whose point p is read from plane turned(p)); {@code in} fills ci
     * floats per tile, {@code out} reads co. {@code zeroFloats} zeros are at hand for edges.
     */
    static void correlate(int points, long tiles, long ci, long co, long zeroFloats, boolean turn,
                          IntUnaryOperator turned, LongConsumer kernel, Tiles in, Tiles out) {
        long uBytes = points * ci * co * 4;
        long zeroBytes = zeroFloats * 4;
        long chunk = chunkTiles(points, tiles, ci, co, uBytes + zeroBytes);
        long vPlane = chunk * ci;
        long mPlane = chunk * co;
        long bytes = uBytes + zeroBytes + points * (vPlane + mPlane) * 4;
        long u = Conv2d.scratch(bytes);
        try {
            long zero = u + uBytes;
            long v = zero + zeroBytes;
            long m = v + points * vPlane * 4;
            Mem.zero(zero, zeroBytes);
            kernel.accept(u);
            long inGrain = Math.max(1, Parallel.GRAIN / (points * ci));
            long outGrain = Math.max(1, Parallel.GRAIN / (points * co));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, inGrain, (r0, r1) -> in.run(zero, first + r0, first + r1, v + r0 * ci * 4, vPlane));
                for (int p = 0; p < points; p++) {
                    long plane = u + (turn ? turned.applyAsInt(p) : p) * ci * co * 4;
                    Blas.gemm(DType.FLOAT32, false, turn, (int) tb, (int) co, (int) ci, 1.0, v + p * vPlane * 4,
                            (int) ci, plane, (int) (turn ? ci : co), 0.0, m + p * mPlane * 4, (int) co);
                }
                Parallel.forRange(tb, outGrain, (r0, r1) -> out.run(zero, first + r0, first + r1, m + r0 * co * 4,
                        mPlane));
            }
        } finally {
            Conv2d.freeScratch(u, bytes);
        }
    }

    /**
     * A filter gradient: per chunk, {@code in} fills ci floats per tile from the input and
     * {@code grad} co floats from the output gradient; the points GEMMs sum in^T grad over all
     * tiles into (ci x co) planes, which {@code finish} turns into the kernel's gradient.
     */
    static void filterGradient(int points, long tiles, long ci, long co, long zeroFloats, Tiles in, Tiles grad,
                               LongConsumer finish) {
        long uBytes = points * ci * co * 4;
        long zeroBytes = zeroFloats * 4;
        long chunk = chunkTiles(points, tiles, ci, co, uBytes + zeroBytes);
        long vPlane = chunk * ci;
        long gPlane = chunk * co;
        long bytes = uBytes + zeroBytes + points * (vPlane + gPlane) * 4;
        long du = Conv2d.scratch(bytes);
        try {
            long zero = du + uBytes;
            long v = zero + zeroBytes;
            long g = v + points * vPlane * 4;
            Mem.zero(zero, zeroBytes);
            long grain = Math.max(1, Parallel.GRAIN / (points * (ci + co)));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, grain, (r0, r1) -> {
                    in.run(zero, first + r0, first + r1, v + r0 * ci * 4, vPlane);
                    grad.run(zero, first + r0, first + r1, g + r0 * co * 4, gPlane);
                });
                for (int p = 0; p < points; p++) {
                    Blas.gemm(DType.FLOAT32, true, false, (int) ci, (int) co, (int) tb, 1.0, v + p * vPlane * 4,
                            (int) ci, g + p * gPlane * 4, (int) co, t0 == 0 ? 0.0 : 1.0, du + p * ci * co * 4,
                            (int) co);
                }
            }
            finish.accept(du);
        } finally {
            Conv2d.freeScratch(du, bytes);
        }
    }
}
