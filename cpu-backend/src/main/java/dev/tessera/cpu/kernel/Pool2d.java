package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;

/**
 * Max and average pooling over NHWC input. Each output pixel folds whole channel rows, so the inner
 * loops run over contiguous channels. Average pooling divides by the window positions inside the
 * input; the max gradient goes to the first maximum in (kh, kw) scan order. The float32 forward
 * pass runs in the native loops ({@link NativeKernels}), tested bit for bit against the Java one.
 */
public final class Pool2d {
    private Pool2d() {
    }

    /** Validated sizes of one pooling. */
    private record Geo(long n, long h, long w, long c, long oh, long ow, PoolSpec s) {
        long h0(long oh) {
            return oh * s.strideH() - s.padTop();
        }

        long w0(long ow) {
            return ow * s.strideW() - s.padLeft();
        }
    }

    private static Geo geometry(String op, PoolSpec s, Operand x, Operand y) {
        if (x.rank() != 4 || y.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected x (N, H, W, C) and y (N, OH, OW, C) — got " + x.shape()
                    + " and " + y.shape());
        }
        long n = x.shape().dim(0);
        long h = x.shape().dim(1);
        long w = x.shape().dim(2);
        long c = x.shape().dim(3);
        long oh = s.outH(h);
        long ow = s.outW(w);
        if (y.shape().dim(0) != n || y.shape().dim(1) != oh || y.shape().dim(2) != ow || y.shape().dim(3) != c) {
            throw new IllegalArgumentException(op + ": output shape " + y.shape() + " does not match input " + x.shape()
                    + " (expected (" + n + ", " + oh + ", " + ow + ", " + c + "))");
        }
        if (y.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ — got " + x.dtype() + " and " + y.dtype());
        }
        Mem.requireFloat(op, x.dtype());
        return new Geo(n, h, w, c, oh, ow, s);
    }

    /** y = pool(x). */
    public static void forward(PoolSpec s, Operand x, Operand y) {
        Geo g = geometry("pool2d", s, x, y);
        DType t = x.dtype();
        int size = t.byteSize();
        if (y.numel() == 0) {
            return;
        }
        boolean max = s.kind() == PoolSpec.Kind.MAX;
        try (Dense dx = Dense.in("pool2d", x); Dense dy = Dense.out("pool2d", y)) {
            long rows = g.n * g.oh * g.ow;
            long grain = Math.max(1, Parallel.GRAIN / Math.max(1, g.c * s.kernelH() * s.kernelW()));
            if (t == DType.FLOAT32 && NativeKernels.available()) {
                Parallel.forRange(rows, grain, (r0, r1) -> {
                    long acc = U.allocateMemory(8 * Math.max(1, g.c));
                    try {
                        NativeKernels.pool(max ? 1 : 0, dx.address(), dy.address(), r0, r1, g.h, g.w, g.c, g.oh, g.ow,
                                s.kernelH(), s.kernelW(), s.strideH(), s.strideW(), s.padTop(), s.padLeft(), acc);
                    } finally {
                        U.freeMemory(acc);
                    }
                });
                return;
            }
            Parallel.forRange(rows, grain, (r0, r1) -> {
                double[] acc = new double[(int) g.c];
                for (long r = r0; r < r1; r++) {
                    long img = r / (g.oh * g.ow);
                    long oh = (r / g.ow) % g.oh;
                    long ow = r % g.ow;
                    java.util.Arrays.fill(acc, max ? Double.NEGATIVE_INFINITY : 0.0);
                    long count = 0;
                    for (long ih = Math.max(0, g.h0(oh)); ih < Math.min(g.h, g.h0(oh) + s.kernelH()); ih++) {
                        for (long iw = Math.max(0, g.w0(ow)); iw < Math.min(g.w, g.w0(ow) + s.kernelW()); iw++) {
                            long p = dx.address() + ((img * g.h + ih) * g.w + iw) * g.c * size;
                            count++;
                            // NOTE: Math.max is branch-free (and keeps NaN); a compare-and-branch on
                            // random data mispredicts half the time.
                            if (max && t == DType.FLOAT32) {
                                for (int ch = 0; ch < g.c; ch++, p += 4) {
                                    acc[ch] = Math.max(acc[ch], U.getFloat(p));
                                }
                            } else if (max) {
                                for (int ch = 0; ch < g.c; ch++, p += 8) {
                                    acc[ch] = Math.max(acc[ch], U.getDouble(p));
                                }
                            } else {
                                for (int ch = 0; ch < g.c; ch++, p += size) {
                                    acc[ch] += Mem.read(t, p);
                                }
                            }
                        }
                    }
                    long o = dy.address() + r * g.c * size;
                    double scale = max || count == 0 ? 1.0 : 1.0 / count;
                    for (int ch = 0; ch < g.c; ch++, o += size) {
                        Mem.write(t, o, max ? acc[ch] : acc[ch] * scale);
                    }
                }
            });
        }
    }

    /** dx = pooling gradient; one image per task, so overlapping windows never race. */
    public static void backward(PoolSpec s, Operand x, Operand y, Operand dy, Operand dx) {
        Geo g = geometry("pool2dBackward", s, x, y);
        if (!dy.shape().equals(y.shape()) || !dx.shape().equals(x.shape())) {
            throw new IllegalArgumentException("pool2dBackward: gradient shapes must match — got dy " + dy.shape()
                    + " for y " + y.shape() + " and dx " + dx.shape() + " for x " + x.shape());
        }
        DType t = x.dtype();
        int size = t.byteSize();
        if (dx.numel() == 0) {
            return;
        }
        boolean max = s.kind() == PoolSpec.Kind.MAX;
        try (Dense ix = Dense.in("pool2dBackward", x); Dense idy = Dense.in("pool2dBackward", dy);
             Dense odx = Dense.out("pool2dBackward", dx)) {
            U.setMemory(odx.address(), dx.numel() * size, (byte) 0);
            long imageBytes = g.h * g.w * g.c * size;
            Parallel.forTasks((int) g.n, img -> {
                long[] at = new long[(int) g.c];
                double[] best = new double[(int) g.c];
                for (long oh = 0; oh < g.oh; oh++) {
                    for (long ow = 0; ow < g.ow; ow++) {
                        long hs = Math.max(0, g.h0(oh));
                        long he = Math.min(g.h, g.h0(oh) + s.kernelH());
                        long ws = Math.max(0, g.w0(ow));
                        long we = Math.min(g.w, g.w0(ow) + s.kernelW());
                        long gy = idy.address() + ((img * g.oh + oh) * g.ow + ow) * g.c * size;
                        long base = img * imageBytes;
                        if (max) {
                            java.util.Arrays.fill(best, Double.NaN);
                            java.util.Arrays.fill(at, -1);
                            for (long ih = hs; ih < he; ih++) {
                                for (long iw = ws; iw < we; iw++) {
                                    long off = base + (ih * g.w + iw) * g.c * size;
                                    long p = ix.address() + off;
                                    for (int ch = 0; ch < g.c; ch++, p += size) {
                                        double v = t == DType.FLOAT32 ? U.getFloat(p) : U.getDouble(p);
                                        if (at[ch] < 0 || v > best[ch] || (v != v && best[ch] == best[ch])) {
                                            best[ch] = v;
                                            at[ch] = off + (long) ch * size;
                                        }
                                    }
                                }
                            }
                            for (int ch = 0; ch < g.c; ch++) {
                                if (at[ch] >= 0) {
                                    addOne(t, odx.address() + at[ch], gy + (long) ch * size);
                                }
                            }
                        } else {
                            long count = (he - hs) * (we - ws);
                            if (count <= 0) {
                                continue;
                            }
                            double inv = 1.0 / count;
                            for (long ih = hs; ih < he; ih++) {
                                for (long iw = ws; iw < we; iw++) {
                                    long d = odx.address() + base + (ih * g.w + iw) * g.c * size;
                                    long q = gy;
                                    for (int ch = 0; ch < g.c; ch++, d += size, q += size) {
                                        double v = Mem.read(t, d) + Mem.read(t, q) * inv;
                                        Mem.write(t, d, v);
                                    }
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    private static void addOne(DType t, long d, long s) {
        if (t == DType.FLOAT32) {
            U.putFloat(d, U.getFloat(d) + U.getFloat(s));
        } else {
            U.putDouble(d, U.getDouble(d) + U.getDouble(s));
        }
    }
}
