package dev.tessera.cpu.kernel;

import dev.tessera.backend.Conv2dSpec;
import java.util.function.LongConsumer;

/**
 * Tessera's own float32 GEMM ({@code tessera_gemm.h}) for products with one long dimension and short
 * ones, where OpenBLAS's packing and separate beta pass cost as much as the arithmetic: a convolution
 * whose column rows are a few dozen to a few hundred floats long. Row products split the long
 * dimension over threads; reductions over it (filter gradients) sum fixed ranges of rows into
 * partials added in order, so the bits do not depend on the thread count. On by default where the
 * CPU has AVX2 and FMA and no 512-bit FMA units (AVX-512 only on AMD Zen 4, whose units are 256 bits
 * wide); {@code -Dtessera.cpu.panelGemm=false} leaves these products to OpenBLAS.
 */
final class PanelGemm {
    private static final boolean SUPPORTED = NativeKernels.loaded() && NativeKernels.gemmSupported() == 1
            && Boolean.parseBoolean(System.getProperty("tessera.cpu.panelGemm", "true"));
    /** Most partial sums of one reduction (enough to keep 32 threads busy). */
    private static final long MAX_PARTS = 32;
    /**
     * Fewest rows summed into one partial: shorter ranges cost more in writing and adding partials
     * than they gain (160 x 128 over 6,272 rows: 1.84 ms in ranges of 256 rows, 1.67 in ranges of 512).
     */
    private static final long MIN_PART_ROWS = 512;
    /** Rows of the long dimension below which OpenBLAS keeps a product. */
    private static final long MIN_ROWS = 512;
    /** Multiply-adds below which a task is not worth a thread. */
    private static final long TASK_WORK = 1L << 21;
    /** Bytes of a cache line, to which scratch blocks are aligned. */
    private static final long LINE = 64;
    /** The native binary op code of addition (B_ADD in tessera_cpu.h). */
    private static final int NATIVE_ADD = 0;

    /** Tests set this to take small products too, so that every edge of the kernels is reached. */
    static volatile boolean anySize;

    private PanelGemm() {
    }

    /** Whether the kernels run here: native library loaded and in use, a CPU they suit, not turned off. */
    static boolean available() {
        return SUPPORTED && NativeKernels.available();
    }

    /**
     * Whether {@link #rows} should compute an m x k by k x n product: a long m, at least two panels of
     * columns, and b packed small enough to stay in the L2 cache (a table of shapes in RESULTS.md).
     */
    static boolean fitsRows(long m, long n, long k) {
        return available() && (anySize || m >= MIN_ROWS && n >= 32) && n >= 1 && k >= 1
                && packedBytes(k, n) <= 512L << 10;
    }

    /**
     * Whether {@link #reduce} should compute an m x n product over k rows: a long k, rows of a no
     * longer than 160 floats and a result that stays in the L2 cache. From 192 floats OpenBLAS was
     * faster (192 x 128 over 6,272 rows: 155 against our 131 GFLOP/s; 1152 x 256 over 1,568 rows:
     * 186 against 94; RESULTS.md §2), while the shapes measured up to 160 ran as fast or faster in ours.
     */
    static boolean fitsReduce(long m, long n, long k) {
        return available() && (anySize || k >= MIN_ROWS) && m >= 1 && m <= 160 && n >= 1 && m * n * 4 <= 320L << 10;
    }

    /**
     * c (m x n, row stride ldc) = a (m x k, row stride lda) x b, where b is k x n with row stride ldb,
     * or, when transB, given as its n x k transpose with row stride ldb.
     */
    static void rows(long m, long n, long k, long a, long lda, long b, long ldb, boolean transB, long c, long ldc) {
        withPacked(b, ldb, transB, k, n, bp -> Parallel.forRange(m, grain(n * k),
                (r0, r1) -> NativeKernels.gemmRows(a, lda, r0, r1, k, bp, n, c, ldc)));
    }

    /**
     * c (m x n, contiguous) = a^T x b, or c += a^T x b when add, with a k x m (row stride lda) and
     * b k x n (row stride ldb).
     */
    static void reduce(long m, long n, long k, long a, long lda, long b, long ldb, long c, boolean add) {
        reduceInParts(m * n, k, c, add, (part, r0, r1) -> {
            NativeKernels.gemmReduce(a, lda, b, ldb, r0, r1, m, n, part);
            return 0;
        });
    }

    /**
     * y = im2col(x) x w for an NHWC convolution: w is (kh * kw * c) x o, y has a row of o per output
     * pixel of the batch; the column rows are built a cache-sized block at a time.
     */
    static void convForward(Conv2d.Geo g, long x, long w, long y) {
        Conv2dSpec s = g.s();
        long depth = g.cols();
        withPacked(w, g.o(), false, depth, g.o(), bp -> Parallel.forRange(g.n() * g.pixels(), grain(depth * g.o()),
                (r0, r1) -> check(NativeKernels.convRows(x, bp, y, r0, r1, g.h(), g.w(), g.c(), g.kh(), g.kw(), g.o(),
                        g.oh(), g.ow(), s.strideH(), s.strideW(), s.padTop(), s.padLeft(), s.dilationH(),
                        s.dilationW()))));
    }

    /**
     * dx = col2im(dy x w^T) for an NHWC convolution, w being (kh * kw * c) x o: each image's column
     * gradient is made and added into dx a cache-sized block at a time, an image per task (so a
     * batch smaller than the thread count leaves threads idle).
     */
    static void convData(Conv2d.Geo g, long dy, long w, long dx) {
        Conv2dSpec s = g.s();
        withPacked(w, g.o(), true, g.o(), g.cols(), bp -> Parallel.forRange(g.n(), 1, (n0, n1) -> check(
                NativeKernels.convDataImages(dy, bp, dx, n0, n1, g.h(), g.w(), g.c(), g.kh(), g.kw(), g.o(), g.oh(),
                        g.ow(), s.strideH(), s.strideW(), s.padTop(), s.padLeft(), s.dilationH(), s.dilationW()))));
    }

    /** dw ((kh * kw * c) x o) = im2col(x)^T x dy over the output pixels of an NHWC convolution. */
    static void convFilter(Conv2d.Geo g, long x, long dy, long dw) {
        Conv2dSpec s = g.s();
        reduceInParts(g.cols() * g.o(), g.n() * g.pixels(), dw, false, (part, r0, r1) -> NativeKernels.convFilterRows(
                x, dy, part, r0, r1, g.h(), g.w(), g.c(), g.kh(), g.kw(), g.o(), g.oh(), g.ow(), s.strideH(),
                s.strideW(), s.padTop(), s.padLeft(), s.dilationH(), s.dilationW()));
    }

    /** One partial sum of a reduction: rows [r0, r1) written over the block at part; -1 if out of memory. */
    @FunctionalInterface
    private interface Part {
        int run(long part, long r0, long r1);
    }

    /**
     * Sums a reduction over k rows in equal ranges, one partial each, written (or, when add, added)
     * in order into out. The ranges depend on k alone, never on the thread count, so neither do the bits.
     */
    private static void reduceInParts(long size, long k, long out, boolean add, Part body) {
        long partRows = Math.max(MIN_PART_ROWS, ((k + MAX_PARTS - 1) / MAX_PARTS + 127) & -128);
        long parts = Math.max(1, (k + partRows - 1) / partRows);
        if (parts == 1 && !add) {
            check(body.run(out, 0, k));
            return;
        }
        long stride = (size + 15) & -16;
        long bytes = Math.multiplyExact(parts * stride, 4L) + LINE - 1;
        long raw = HostBlocks.allocate(bytes);
        try {
            long partials = aligned(raw);
            Parallel.forTasks((int) parts, i -> check(body.run(partials + i * stride * 4,
                    i * partRows, Math.min(k, (i + 1) * partRows))));
            if (!add) {
                Mem.copy(partials, out, size * 4);
            }
            long first = add ? 0 : 1;
            Parallel.forRange(size, (e0, e1) -> {
                for (long i = first; i < parts; i++) {
                    NativeKernels.binary(NATIVE_ADD, 1, e1 - e0, out + e0 * 4, 0, 1,
                            partials + (i * stride + e0) * 4, 0, 1, out + e0 * 4, 0, 1);
                }
            });
        } finally {
            HostBlocks.free(raw, bytes);
        }
    }

    /**
     * Packs b (k x n, or its transpose) into a scratch block that starts on a cache line and runs body
     * with its address: the tiles load 16 floats of a panel at a time, which on a block the C
     * allocator aligns to 16 bytes straddle two lines (a 48 x 128 reduction ran 22% slower so).
     */
    private static void withPacked(long b, long ldb, boolean trans, long k, long n, LongConsumer body) {
        long bytes = packedBytes(k, n) + LINE - 1;
        long raw = HostBlocks.allocate(bytes);
        try {
            long bp = aligned(raw);
            NativeKernels.gemmPackB(b, ldb, trans ? 1 : 0, k, n, bp);
            body.accept(bp);
        } finally {
            HostBlocks.free(raw, bytes);
        }
    }

    private static long aligned(long raw) {
        return (raw + LINE - 1) & -LINE;
    }

    private static long packedBytes(long k, long n) {
        return Math.max(1, k) * ((n + 15) / 16) * 16 * 4;
    }

    /** Rows per task so that each does at least {@link #TASK_WORK} multiply-adds. */
    private static long grain(long workPerRow) {
        return Math.max(6, TASK_WORK / Math.max(1, workPerRow));
    }

    private static void check(int status) {
        if (status != 0) {
            throw new OutOfMemoryError("cpu: no memory for a convolution's column block");
        }
    }
}
