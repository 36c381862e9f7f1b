package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;

/**
 * 2-D convolution over NHWC input with an HWIO kernel, as im2col + GEMM. Each im2col row is one
 * output pixel's receptive field laid out (kh, kw, c), which matches the kernel flattened to a
 * (KH*KW*C, O) row-major matrix. A 1x1, stride-1, unpadded convolution skips im2col. The batch is
 * processed in chunks so the column buffer stays under {@link #columnBytes}.
 */
public final class Conv2d {
    /** Upper bound on the im2col buffer (one image is always processed, even if larger); tests lower it. */
    static volatile long columnBytes = 32L << 20;

    private Conv2d() {
    }

    /** Validated sizes of one convolution. */
    private record Geo(long n, long h, long w, long c, long kh, long kw, long o, long oh, long ow, Conv2dSpec s) {
        long cols() {
            return kh * kw * c;
        }

        long pixels() {
            return oh * ow;
        }

        boolean pointwise() {
            return kh == 1 && kw == 1 && s.strideH() == 1 && s.strideW() == 1 && s.padTop() == 0 && s.padBottom() == 0
                    && s.padLeft() == 0 && s.padRight() == 0;
        }

        long chunk(int size) {
            long perImage = Math.max(1, pixels() * cols() * size);
            return Math.max(1, Math.min(n, columnBytes / perImage));
        }
    }

    private static Geo geometry(String op, Conv2dSpec s, Operand x, Operand w, Operand y) {
        if (x.rank() != 4 || w.rank() != 4 || y.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected x (N, H, W, C), w (KH, KW, C, O), y (N, OH, OW, O) — got "
                    + x.shape() + ", " + w.shape() + " and " + y.shape());
        }
        long n = x.shape().dim(0);
        long h = x.shape().dim(1);
        long wd = x.shape().dim(2);
        long c = x.shape().dim(3);
        long kh = w.shape().dim(0);
        long kw = w.shape().dim(1);
        long o = w.shape().dim(3);
        long oh = s.outH(h, kh);
        long ow = s.outW(wd, kw);
        if (w.shape().dim(2) != c || y.shape().dim(0) != n || y.shape().dim(1) != oh || y.shape().dim(2) != ow
                || y.shape().dim(3) != o) {
            throw new IllegalArgumentException(op + ": shapes do not match — got x " + x.shape() + ", w " + w.shape()
                    + ", y " + y.shape() + " (expected y (" + n + ", " + oh + ", " + ow + ", " + o + "))");
        }
        DType t = x.dtype();
        if (w.dtype() != t || y.dtype() != t) {
            throw new IllegalArgumentException(op + ": dtypes differ — got " + x.dtype() + ", " + w.dtype() + " and "
                    + y.dtype());
        }
        Mem.requireFloat(op, t);
        Geo g = new Geo(n, h, wd, c, kh, kw, o, oh, ow, s);
        Gemm.checkInt(op, g.cols(), o, c, g.chunk(t.byteSize()) * g.pixels(), n * h * wd);
        return g;
    }

    /** y = conv2d(x, w). */
    public static void forward(Conv2dSpec s, Operand x, Operand w, Operand y) {
        Geo g = geometry("conv2d", s, x, w, y);
        DType t = x.dtype();
        int size = t.byteSize();
        if (y.numel() == 0) {
            return;
        }
        try (Dense dx = Dense.in("conv2d", x); Dense dw = Dense.in("conv2d", w); Dense dy = Dense.out("conv2d", y)) {
            if (g.c == 0) {
                U.setMemory(dy.address(), y.numel() * size, (byte) 0);
                return;
            }
            if (g.pointwise()) {
                Blas.gemm(t, false, false, (int) (g.n * g.h * g.w), (int) g.o, (int) g.c, 1.0, dx.address(), (int) g.c,
                        dw.address(), (int) g.o, 0.0, dy.address(), (int) g.o);
                return;
            }
            chunks(g, size, (n0, nb, col) -> {
                im2col(g, size, dx.address() + n0 * g.h * g.w * g.c * size, nb, col);
                Blas.gemm(t, false, false, (int) (nb * g.pixels()), (int) g.o, (int) g.cols(), 1.0, col,
                        (int) g.cols(), dw.address(), (int) g.o, 0.0,
                        dy.address() + n0 * g.pixels() * g.o * size, (int) g.o);
            });
        }
    }

    /** dx = conv2d gradient with respect to x: dcol = dy x w^T, then col2im. */
    public static void backwardData(Conv2dSpec s, Operand dy, Operand w, Operand dx) {
        Geo g = geometry("conv2dBackwardData", s, dx, w, dy);
        DType t = dx.dtype();
        int size = t.byteSize();
        if (dx.numel() == 0) {
            return;
        }
        try (Dense ddy = Dense.in("conv2dBackwardData", dy); Dense dw = Dense.in("conv2dBackwardData", w);
             Dense ddx = Dense.out("conv2dBackwardData", dx)) {
            if (g.pointwise() && g.o > 0) {
                Blas.gemm(t, false, true, (int) (g.n * g.h * g.w), (int) g.c, (int) g.o, 1.0, ddy.address(), (int) g.o,
                        dw.address(), (int) g.o, 0.0, ddx.address(), (int) g.c);
                return;
            }
            U.setMemory(ddx.address(), dx.numel() * size, (byte) 0);
            if (g.o == 0 || g.pixels() == 0) {
                return;
            }
            chunks(g, size, (n0, nb, col) -> {
                Blas.gemm(t, false, true, (int) (nb * g.pixels()), (int) g.cols(), (int) g.o, 1.0,
                        ddy.address() + n0 * g.pixels() * g.o * size, (int) g.o, dw.address(), (int) g.o, 0.0,
                        col, (int) g.cols());
                col2im(g, t, col, nb, ddx.address() + n0 * g.h * g.w * g.c * size);
            });
        }
    }

    /** dw = conv2d gradient with respect to w: col^T x dy, accumulated over batch chunks. */
    public static void backwardFilter(Conv2dSpec s, Operand x, Operand dy, Operand dw) {
        Geo g = geometry("conv2dBackwardFilter", s, x, dw, dy);
        DType t = x.dtype();
        int size = t.byteSize();
        if (dw.numel() == 0) {
            return;
        }
        try (Dense dx = Dense.in("conv2dBackwardFilter", x); Dense ddy = Dense.in("conv2dBackwardFilter", dy);
             Dense ddw = Dense.out("conv2dBackwardFilter", dw)) {
            if (g.n == 0 || g.pixels() == 0) {
                U.setMemory(ddw.address(), dw.numel() * size, (byte) 0);
                return;
            }
            if (g.pointwise()) {
                Blas.gemm(t, true, false, (int) g.c, (int) g.o, (int) (g.n * g.h * g.w), 1.0, dx.address(), (int) g.c,
                        ddy.address(), (int) g.o, 0.0, ddw.address(), (int) g.o);
                return;
            }
            chunks(g, size, (n0, nb, col) -> {
                im2col(g, size, dx.address() + n0 * g.h * g.w * g.c * size, nb, col);
                Blas.gemm(t, true, false, (int) g.cols(), (int) g.o, (int) (nb * g.pixels()), 1.0, col,
                        (int) g.cols(), ddy.address() + n0 * g.pixels() * g.o * size, (int) g.o, n0 == 0 ? 0.0 : 1.0,
                        ddw.address(), (int) g.o);
            });
        }
    }

    /** Body of one batch chunk: images [n0, n0 + nb) with a column buffer at address col. */
    @FunctionalInterface
    private interface Chunk {
        void run(long n0, long nb, long col);
    }

    /** Runs body over the batch in chunks that share one column buffer of at most {@link #columnBytes}. */
    private static void chunks(Geo g, int size, Chunk body) {
        long chunk = g.chunk(size);
        long colBytes = chunk * g.pixels() * g.cols() * size;
        long col = HostBlocks.allocate(colBytes);
        try {
            for (long n0 = 0; n0 < g.n; n0 += chunk) {
                body.run(n0, Math.min(chunk, g.n - n0), col);
            }
        } finally {
            HostBlocks.free(col, colBytes);
        }
    }

    /** Fills one row of the column buffer per output pixel of nb images starting at x. */
    private static void im2col(Geo g, int size, long x, long nb, long col) {
        Conv2dSpec s = g.s;
        long rows = nb * g.pixels();
        long rowBytes = g.cols() * size;
        long cBytes = g.c * size;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, g.cols()));
        Parallel.forRange(rows, grain, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long img = r / g.pixels();
                long oh = (r % g.pixels()) / g.ow;
                long ow = r % g.ow;
                long dst = col + r * rowBytes;
                long iw0 = ow * s.strideW() - s.padLeft();
                boolean rowInside = s.dilationW() == 1 && iw0 >= 0 && iw0 + g.kw <= g.w;
                for (long kh = 0; kh < g.kh; kh++) {
                    long ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                    long seg = dst + kh * g.kw * cBytes;
                    if (ih < 0 || ih >= g.h) {
                        Mem.zero(seg, g.kw * cBytes);
                        continue;
                    }
                    long src = x + ((img * g.h + ih) * g.w) * cBytes;
                    if (rowInside) {
                        Mem.copy(src + iw0 * cBytes, seg, g.kw * cBytes);
                        continue;
                    }
                    for (long kw = 0; kw < g.kw; kw++) {
                        long iw = iw0 + kw * s.dilationW();
                        if (iw < 0 || iw >= g.w) {
                            Mem.zero(seg + kw * cBytes, cBytes);
                        } else {
                            Mem.copy(src + iw * cBytes, seg + kw * cBytes, cBytes);
                        }
                    }
                }
            }
        });
    }

    /**
     * Adds the column buffer back into the input positions it came from. Each task owns whole input
     * rows (image, ih) and gathers every (kh, ow, kw) that lands in them, so there are no races, the
     * summation order is fixed, and even a single image is spread over all threads.
     */
    private static void col2im(Geo g, DType t, long col, long nb, long dx) {
        Conv2dSpec s = g.s;
        int size = t.byteSize();
        long cBytes = g.c * size;
        long rowBytes = g.cols() * size;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, g.w * g.c * g.kh));
        Parallel.forRange(nb * g.h, grain, (r0, r1) -> {
            for (long row = r0; row < r1; row++) {
                long img = row / g.h;
                long ih = row % g.h;
                long dRow = dx + row * g.w * cBytes;
                for (long kh = 0; kh < g.kh; kh++) {
                    long num = ih + s.padTop() - kh * s.dilationH();
                    if (num < 0 || num % s.strideH() != 0 || num / s.strideH() >= g.oh) {
                        continue;
                    }
                    long oh = num / s.strideH();
                    for (long ow = 0; ow < g.ow; ow++) {
                        long src = col + ((img * g.oh + oh) * g.ow + ow) * rowBytes + kh * g.kw * cBytes;
                        for (long kw = 0; kw < g.kw; kw++) {
                            long iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                            if (iw >= 0 && iw < g.w) {
                                addRow(t, g.c, src + kw * cBytes, dRow + iw * cBytes);
                            }
                        }
                    }
                }
            }
        });
    }

    /** d[0..n) += s[0..n). */
    static void addRow(DType t, long n, long s, long d) {
        if (t == DType.FLOAT32) {
            for (long i = 0; i < n; i++, s += 4, d += 4) {
                U.putFloat(d, U.getFloat(d) + U.getFloat(s));
            }
        } else {
            for (long i = 0; i < n; i++, s += 8, d += 8) {
                U.putDouble(d, U.getDouble(d) + U.getDouble(s));
            }
        }
    }
}
