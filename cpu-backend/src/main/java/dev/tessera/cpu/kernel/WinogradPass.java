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

    /**
     * One scratch block laid out as the kernel's points planes of (ci x co), {@code zeroFloats}
     * zeros, then per point a plane of a chunk's tiles for each side (ci and co floats per tile); the
     * chunk is as many tiles as fit in the column cap with the rest. Addresses in bytes.
     */
    private record Scratch(long raw, long bytes, long base, long chunk, long zero, long a, long aPlane, long b,
                           long bPlane) {
        static Scratch allocate(int points, long tiles, long ci, long co, long zeroFloats) {
            long uBytes = points * ci * co * 4;
            long zeroBytes = (zeroFloats * 4 + 63) & -64;
            long perTile = points * (ci + co) * 4L;
            long chunk = Math.max(1, Math.min(tiles, (Conv2d.columnBytes - 64 - uBytes - zeroBytes) / perTile));
            Gemm.checkInt("conv2d (Winograd)", chunk * ci, chunk * co, ci * co);
            // 63 bytes of slack to start on a cache line: the GEMMs' tiles then load and store whole lines.
            long bytes = 63 + uBytes + zeroBytes + chunk * perTile;
            long raw = Conv2d.scratch(bytes);
            long base = (raw + 63) & -64;
            long zero = base + uBytes;
            Mem.zero(zero, zeroBytes);
            long a = zero + zeroBytes;
            return new Scratch(raw, bytes, base, chunk, zero, a, chunk * ci, a + points * chunk * ci * 4, chunk * co);
        }

        void free() {
            Conv2d.freeScratch(raw, bytes);
        }
    }

    /**
     * A correlation of ci input channels into co output channels: {@code kernel} writes the
     * kernel's points planes of (ci x co) at the address it is given, or of (co x ci) when turn (a
     * turned, transposed kernel, whose point p is read from plane turned(p)); {@code in} fills ci
     * floats per tile, {@code out} reads co. {@code zeroFloats} zeros are at hand for edges.
     */
    static void correlate(int points, long tiles, long ci, long co, long zeroFloats, boolean turn,
                          IntUnaryOperator turned, LongConsumer kernel, Tiles in, Tiles out) {
        Scratch sc = Scratch.allocate(points, tiles, ci, co, zeroFloats);
        try {
            long u = sc.base();
            long zero = sc.zero();
            long v = sc.a();
            long m = sc.b();
            long vPlane = sc.aPlane();
            long mPlane = sc.bPlane();
            long chunk = sc.chunk();
            kernel.accept(u);
            long inGrain = Math.max(1, Parallel.GRAIN / (points * ci));
            long outGrain = Math.max(1, Parallel.GRAIN / (points * co));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, inGrain, (r0, r1) -> in.run(zero, first + r0, first + r1, v + r0 * ci * 4, vPlane));
                for (int p = 0; p < points; p++) {
                    long plane = u + (turn ? turned.applyAsInt(p) : p) * ci * co * 4;
                    Conv2d.product(DType.FLOAT32, tb, co, ci, v + p * vPlane * 4, ci, plane, turn ? ci : co, turn,
                            m + p * mPlane * 4, co);
                }
                Parallel.forRange(tb, outGrain, (r0, r1) -> out.run(zero, first + r0, first + r1, m + r0 * co * 4,
                        mPlane));
            }
        } finally {
            sc.free();
        }
    }

    /**
     * A filter gradient: per chunk, {@code in} fills ci floats per tile from the input and
     * {@code grad} co floats from the output gradient; the points GEMMs sum in^T grad over all
     * tiles into (ci x co) planes, which {@code finish} turns into the kernel's gradient.
     */
    static void filterGradient(int points, long tiles, long ci, long co, long zeroFloats, Tiles in, Tiles grad,
                               LongConsumer finish) {
        Scratch sc = Scratch.allocate(points, tiles, ci, co, zeroFloats);
        try {
            long du = sc.base();
            long zero = sc.zero();
            long v = sc.a();
            long g = sc.b();
            long vPlane = sc.aPlane();
            long gPlane = sc.bPlane();
            long chunk = sc.chunk();
            long grain = Math.max(1, Parallel.GRAIN / (points * (ci + co)));
            for (long t0 = 0; t0 < tiles; t0 += chunk) {
                long first = t0;
                long tb = Math.min(chunk, tiles - t0);
                Parallel.forRange(tb, grain, (r0, r1) -> {
                    in.run(zero, first + r0, first + r1, v + r0 * ci * 4, vPlane);
                    grad.run(zero, first + r0, first + r1, g + r0 * co * 4, gPlane);
                });
                for (int p = 0; p < points; p++) {
                    Conv2d.reduction(DType.FLOAT32, ci, co, tb, v + p * vPlane * 4, ci, g + p * gPlane * 4, co,
                            du + p * ci * co * 4, t0 != 0);
                }
            }
            finish.accept(du);
        } finally {
            sc.free();
        }
    }
}
