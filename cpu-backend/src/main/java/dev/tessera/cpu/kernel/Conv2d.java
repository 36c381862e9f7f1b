package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;

/**
 * 2-D convolution over NHWC input with an HWIO kernel, as im2col + GEMM. Each im2col row is one
 * output pixel's receptive field laid out (kh, kw, c), which matches the kernel flattened to a
 * (KH*KW*C, O) row-major matrix. A 1x1, stride-1, unpadded convolution skips im2col, and float32 ones
 * with enough channels go by {@link Winograd} (3x3 stride 1) or {@link WinogradStride2} (4x4 stride 2),
 * and those from a single channel to a few by {@link SingleChannelConv}. Float32 products with a
 * long pixel dimension and short rows go by {@link PanelGemm}, which builds the columns a
 * cache-sized block at a time; otherwise the batch is processed in chunks so the column buffer
 * stays under {@link #columnBytes}. The data gradient of an undilated convolution with many input
 * channels is a gather + GEMM per stride phase rather than a GEMM + col2im scatter-add, whose
 * read-modify-write of every column was the slower part.
 */
public final class Conv2d {
    /** Upper bound on the im2col buffer (one image is always processed, even if larger); tests lower it. */
    static volatile long columnBytes = 32L << 20;
    /**
     * Input channels from which the data gradient goes by stride phases: their GEMMs are C columns
     * wide, and narrow ones run far below OpenBLAS' peak (3 channels, 224x224, 4x4 stride 2, batch 8:
     * 250 ms by phases against 40 ms with col2im; 128 channels, 3x3: 80 against 115 ms).
     */
    static final long PHASE_MIN_CHANNELS = 32;

    private Conv2d() {
    }

    /** Validated sizes of one convolution. */
    record Geo(long n, long h, long w, long c, long kh, long kw, long o, long oh, long ow, Conv2dSpec s) {
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
                product(t, g.n * g.h * g.w, g.o, g.c, dx.address(), g.c, dw.address(), g.o, false, dy.address(), g.o);
                return;
            }
            if (SingleChannelConv.applies(t, s, g.c, g.o)) {
                SingleChannelConv.forward(s, g.n, g.h, g.w, g.kh, g.kw, g.o, g.oh, g.ow, dx.address(), dw.address(),
                        dy.address());
                return;
            }
            if (Winograd.applies(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                Winograd.forward(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, dx.address(), dw.address(), dy.address());
                return;
            }
            if (WinogradStride2.applies(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                WinogradStride2.forward(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, dx.address(), dw.address(),
                        dy.address());
                return;
            }
            if (t == DType.FLOAT32 && PanelGemm.fitsRows(g.n * g.pixels(), g.o, g.cols())) {
                PanelGemm.convForward(g, dx.address(), dw.address(), dy.address());
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

    /**
     * dx = conv2d gradient with respect to x: by stride phases (see {@link #backwardDataByPhases})
     * when undilated with at least {@link #PHASE_MIN_CHANNELS} input channels, else dcol = dy x w^T
     * followed by col2im.
     */
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
                product(t, g.n * g.h * g.w, g.c, g.o, ddy.address(), g.o, dw.address(), g.o, true, ddx.address(), g.c);
                return;
            }
            if (g.o == 0 || g.pixels() == 0) {
                U.setMemory(ddx.address(), dx.numel() * size, (byte) 0);
                return;
            }
            if (Winograd.applies(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                Winograd.backwardData(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, ddy.address(), dw.address(),
                        ddx.address());
                return;
            }
            if (WinogradStride2.applies(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                WinogradStride2.backwardData(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, ddy.address(), dw.address(),
                        ddx.address());
                return;
            }
            if (s.dilationH() == 1 && s.dilationW() == 1 && g.c >= PHASE_MIN_CHANNELS) {
                backwardDataByPhases(g, t, ddy.address(), dw.address(), ddx.address());
                return;
            }
            if (t == DType.FLOAT32 && PanelGemm.fitsRows(g.n * g.pixels(), g.cols(), g.o)) {
                PanelGemm.convData(g, ddy.address(), dw.address(), ddx.address());
                return;
            }
            U.setMemory(ddx.address(), dx.numel() * size, (byte) 0);
            chunks(g, size, (n0, nb, col) -> {
                Blas.gemm(t, false, true, (int) (nb * g.pixels()), (int) g.cols(), (int) g.o, 1.0,
                        ddy.address() + n0 * g.pixels() * g.o * size, (int) g.o, dw.address(), (int) g.o, 0.0,
                        col, (int) g.cols());
                col2im(g, t, col, nb, ddx.address() + n0 * g.h * g.w * g.c * size);
            });
        }
    }

    /**
     * The input pixels of one stride phase: rows ih = ih0 + k * strideH (k < rows) and columns
     * iw = iw0 + m * strideW (m < cols), which receive gradient from the kernel taps kh = ph + j *
     * strideH (j < tapsH) and kw = pw + i * strideW (i < tapsW) only.
     */
    private record Phase(long ph, long pw, long ih0, long iw0, long rows, long cols, long tapsH, long tapsW) {
        static Phase of(Geo g, long ph, long pw) {
            Conv2dSpec s = g.s;
            long ih0 = Math.floorMod(ph - s.padTop(), s.strideH());
            long iw0 = Math.floorMod(pw - s.padLeft(), s.strideW());
            return new Phase(ph, pw, ih0, iw0, count(g.h - ih0, s.strideH()), count(g.w - iw0, s.strideW()),
                    count(g.kh - ph, s.strideH()), count(g.kw - pw, s.strideW()));
        }

        private static long count(long extent, long step) {
            return extent <= 0 ? 0 : (extent + step - 1) / step;
        }

        long depth(Geo g) {
            return tapsH * tapsW * g.o;
        }
    }

    /**
     * dx without col2im (dilation 1): the input pixels split into strideH x strideW phases, and each
     * phase is a stride-1 correlation of dy with the kernel taps that reach it, flipped and with C
     * and O swapped. Per phase, a gather of dy windows (like im2col, copies only) feeds one GEMM of
     * the forward pass's shape, whose rows are that phase's input pixels. Stride 1 has one phase
     * whose rows are dx itself; otherwise each row is copied to its pixel.
     */
    private static void backwardDataByPhases(Geo g, DType t, long dy, long w, long dx) {
        Conv2dSpec s = g.s;
        int size = t.byteSize();
        boolean direct = s.strideH() == 1 && s.strideW() == 1;
        Phase[] phases = new Phase[(int) (s.strideH() * s.strideW())];
        long maxRows = 0;
        long maxDepth = 0;
        boolean unreached = false;
        for (int p = 0; p < phases.length; p++) {
            Phase ph = Phase.of(g, p / s.strideW(), p % s.strideW());
            phases[p] = ph;
            unreached |= ph.depth(g) == 0 && ph.rows * ph.cols > 0;
            maxRows = Math.max(maxRows, ph.rows * ph.cols);
            maxDepth = Math.max(maxDepth, ph.depth(g));
        }
        if (unreached) {
            // Pixels that no tap reaches (stride larger than the kernel) get no gradient.
            U.setMemory(dx, g.n * g.h * g.w * g.c * size, (byte) 0);
        }
        long perImage = Math.max(1, maxRows * (maxDepth + (direct ? 0 : g.c)) * size);
        long chunk = Math.max(1, Math.min(g.n, columnBytes / perImage));
        Gemm.checkInt("conv2dBackwardData", chunk * maxRows, maxDepth, g.c);
        long colBytes = chunk * maxRows * maxDepth * size;
        long outBytes = direct ? 0 : chunk * maxRows * g.c * size;
        long kernelBytes = maxDepth * g.c * size;
        long col = scratch(colBytes + outBytes + kernelBytes);
        try {
            long out = col + colBytes;
            long kernel = out + outBytes;
            for (Phase ph : phases) {
                if (ph.depth(g) == 0 || ph.rows * ph.cols == 0) {
                    continue;
                }
                phaseKernel(g, t, ph, w, kernel);
                for (long n0 = 0; n0 < g.n; n0 += chunk) {
                    long nb = Math.min(chunk, g.n - n0);
                    long rows = nb * ph.rows * ph.cols;
                    gatherWindows(g, size, ph, dy + n0 * g.pixels() * g.o * size, nb, col);
                    long target = direct ? dx + n0 * g.h * g.w * g.c * size : out;
                    product(t, rows, g.c, ph.depth(g), col, ph.depth(g), kernel, g.c, false, target, g.c);
                    if (!direct) {
                        scatterRows(g, size, ph, out, nb, dx + n0 * g.h * g.w * g.c * size);
                    }
                }
            }
        } finally {
            freeScratch(col, colBytes + outBytes + kernelBytes);
        }
    }

    /**
     * The phase's kernel as a (tapsH * tapsW * O, C) matrix: row (j, i, o) holds w[kh, kw, :, o]
     * with kh = ph + (tapsH - 1 - j) * strideH and kw = pw + (tapsW - 1 - i) * strideW, so the
     * taps run in the order of ascending dy positions that {@link #gatherWindows} lays out.
     */
    private static void phaseKernel(Geo g, DType t, Phase ph, long w, long kernel) {
        int size = t.byteSize();
        for (long j = 0; j < ph.tapsH; j++) {
            long kh = ph.ph + (ph.tapsH - 1 - j) * g.s.strideH();
            for (long i = 0; i < ph.tapsW; i++) {
                long kw = ph.pw + (ph.tapsW - 1 - i) * g.s.strideW();
                long src = w + (kh * g.kw + kw) * g.c * g.o * size;
                long dst = kernel + (j * ph.tapsW + i) * g.o * g.c * size;
                for (long c = 0; c < g.c; c++) {
                    for (long o = 0; o < g.o; o++) {
                        long from = src + (c * g.o + o) * size;
                        long to = dst + (o * g.c + c) * size;
                        if (size == 4) {
                            U.putInt(to, U.getInt(from));
                        } else {
                            U.putLong(to, U.getLong(from));
                        }
                    }
                }
            }
        }
    }

    /**
     * One row per input pixel of the phase in nb images: the dy pixels (oh, ow) that reach it,
     * oh from q - tapsH + 1 to q (q = (ih + padTop - ph) / strideH) and likewise ow, each O values;
     * positions outside dy are zero.
     */
    private static void gatherWindows(Geo g, int size, Phase ph, long dy, long nb, long col) {
        Conv2dSpec s = g.s;
        long pixels = ph.rows * ph.cols;
        long depth = ph.depth(g);
        long oBytes = g.o * size;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, depth));
        Parallel.forRange(nb * pixels, grain, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long img = r / pixels;
                long ih = ph.ih0 + (r % pixels) / ph.cols * s.strideH();
                long iw = ph.iw0 + r % ph.cols * s.strideW();
                long oh0 = (ih + s.padTop() - ph.ph) / s.strideH() - (ph.tapsH - 1);
                long ow0 = (iw + s.padLeft() - ph.pw) / s.strideW() - (ph.tapsW - 1);
                boolean rowInside = ow0 >= 0 && ow0 + ph.tapsW <= g.ow;
                long dst = col + r * depth * size;
                for (long j = 0; j < ph.tapsH; j++) {
                    long oh = oh0 + j;
                    long seg = dst + j * ph.tapsW * oBytes;
                    if (oh < 0 || oh >= g.oh) {
                        Mem.zero(seg, ph.tapsW * oBytes);
                        continue;
                    }
                    long src = dy + (img * g.oh + oh) * g.ow * oBytes;
                    if (rowInside) {
                        Mem.copy(src + ow0 * oBytes, seg, ph.tapsW * oBytes);
                        continue;
                    }
                    for (long i = 0; i < ph.tapsW; i++) {
                        long ow = ow0 + i;
                        if (ow < 0 || ow >= g.ow) {
                            Mem.zero(seg + i * oBytes, oBytes);
                        } else {
                            Mem.copy(src + ow * oBytes, seg + i * oBytes, oBytes);
                        }
                    }
                }
            }
        });
    }

    /** Copies the phase's GEMM rows (one per input pixel, C values) to their pixels of nb images at dx. */
    private static void scatterRows(Geo g, int size, Phase ph, long out, long nb, long dx) {
        long pixels = ph.rows * ph.cols;
        long cBytes = g.c * size;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, g.c));
        Parallel.forRange(nb * pixels, grain, (r0, r1) -> {
            for (long r = r0; r < r1; r++) {
                long img = r / pixels;
                long ih = ph.ih0 + (r % pixels) / ph.cols * g.s.strideH();
                long iw = ph.iw0 + r % ph.cols * g.s.strideW();
                Mem.copy(out + r * cBytes, dx + ((img * g.h + ih) * g.w + iw) * cBytes, cBytes);
            }
        });
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
                reduction(t, g.c, g.o, g.n * g.h * g.w, dx.address(), g.c, ddy.address(), g.o, ddw.address(), false);
                return;
            }
            if (SingleChannelConv.applies(t, s, g.c, g.o)) {
                SingleChannelConv.backwardFilter(s, g.n, g.h, g.w, g.kh, g.kw, g.o, g.oh, g.ow, dx.address(),
                        ddy.address(), ddw.address());
                return;
            }
            if (Winograd.appliesToFilterGradient(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                Winograd.backwardFilter(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, dx.address(), ddy.address(),
                        ddw.address());
                return;
            }
            if (WinogradStride2.applies(t, s, g.kh, g.kw, g.c, g.o, g.oh, g.ow)) {
                WinogradStride2.backwardFilter(s, g.n, g.h, g.w, g.c, g.o, g.oh, g.ow, dx.address(), ddy.address(),
                        ddw.address());
                return;
            }
            if (t == DType.FLOAT32 && PanelGemm.fitsReduce(g.cols(), g.o, g.n * g.pixels())) {
                PanelGemm.convFilter(g, dx.address(), ddy.address(), ddw.address());
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

    /** c (m x n) = a (m x k) x b, b (k x n) or its transpose, by {@link PanelGemm} where it fits, else BLAS. */
    static void product(DType t, long m, long n, long k, long a, long lda, long b, long ldb, boolean transB, long c,
                        long ldc) {
        if (t == DType.FLOAT32 && PanelGemm.fitsRows(m, n, k)) {
            PanelGemm.rows(m, n, k, a, lda, b, ldb, transB, c, ldc);
            return;
        }
        Blas.gemm(t, false, transB, (int) m, (int) n, (int) k, 1.0, a, (int) lda, b, (int) ldb, 0.0, c, (int) ldc);
    }

    /**
     * c (m x n, contiguous) = a^T x b summed over k rows (c += a^T x b when add), a being k x m and
     * b k x n, by {@link PanelGemm} where it fits, else BLAS.
     */
    static void reduction(DType t, long m, long n, long k, long a, long lda, long b, long ldb, long c, boolean add) {
        if (t == DType.FLOAT32 && PanelGemm.fitsReduce(m, n, k)) {
            PanelGemm.reduce(m, n, k, a, lda, b, ldb, c, add);
            return;
        }
        Blas.gemm(t, true, false, (int) m, (int) n, (int) k, 1.0, a, (int) lda, b, (int) ldb, add ? 1.0 : 0.0, c,
                (int) n);
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
        long col = scratch(colBytes);
        try {
            for (long n0 = 0; n0 < g.n; n0 += chunk) {
                body.run(n0, Math.min(chunk, g.n - n0), col);
            }
        } finally {
            freeScratch(col, colBytes);
        }
    }

    /**
     * A scratch block of at least {@code bytes}, and never less than the column cap: every layer's
     * buffer then falls in one size class of the block cache, so one cached block serves all layers
     * instead of one block per layer shape (the pages a small layer leaves untouched cost no memory).
     */
    static long scratch(long bytes) {
        return HostBlocks.allocate(Math.max(bytes, columnBytes));
    }

    /** Returns a block from {@link #scratch(long)} asked for with the same size. */
    static void freeScratch(long address, long bytes) {
        HostBlocks.free(address, Math.max(bytes, columnBytes));
    }

    /** Fills one row of the column buffer per output pixel of nb images starting at x. */
    private static void im2col(Geo g, int size, long x, long nb, long col) {
        Conv2dSpec s = g.s;
        long rows = nb * g.pixels();
        long rowBytes = g.cols() * size;
        long cBytes = g.c * size;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, g.cols()));
        if (size == 4 && NativeKernels.available()) {
            Parallel.forRange(rows, grain, (r0, r1) -> NativeKernels.im2col(x, col, r0, r1, g.h, g.w, g.c, g.kh, g.kw,
                    g.oh, g.ow, s.strideH(), s.strideW(), s.padTop(), s.padLeft(), s.dilationH(), s.dilationW()));
            return;
        }
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
        if (t == DType.FLOAT32 && NativeKernels.available()) {
            Parallel.forRange(nb * g.h, grain, (r0, r1) -> NativeKernels.col2im(col, dx, r0, r1, g.h, g.w, g.c, g.kh,
                    g.kw, g.oh, g.ow, s.strideH(), s.strideW(), s.padTop(), s.padLeft(), s.dilationH(),
                    s.dilationW()));
            return;
        }
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
