package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;

/**
 * Channels-last batch normalisation with given statistics, and its gradients. Per-channel sums are
 * taken over fixed blocks of rows and combined in block order, so they do not depend on the thread
 * count.
 */
public final class BatchNorm {
    private BatchNorm() {
    }

    /** y = (x - mean) * invStd * scale + bias. */
    public static void forward(Operand x, Operand mean, Operand invStd, Operand scale, Operand bias, Operand y) {
        String op = "batchNorm";
        long c = channels(op, x);
        check(op, x, y);
        double[] m = vector(op, mean, c, x);
        double[] is = vector(op, invStd, c, x);
        double[] sc = vector(op, scale, c, x);
        double[] b = vector(op, bias, c, x);
        DType t = x.dtype();
        int size = t.byteSize();
        long rows = c == 0 ? 0 : x.numel() / c;
        long grain = Math.max(1, Parallel.GRAIN / Math.max(1, c));
        try (Dense dx = Dense.in(op, x); Dense dy = Dense.out(op, y)) {
            if (t == DType.FLOAT32 && NativeKernels.available()) {
                long v = offHeap(m, is, sc, b);
                try {
                    Parallel.forRange(rows, grain, (r0, r1) -> NativeKernels.bnForward(dx.address() + r0 * c * 4,
                            dy.address() + r0 * c * 4, r1 - r0, c, v, v + 8 * c, v + 16 * c, v + 24 * c));
                } finally {
                    U.freeMemory(v);
                }
                return;
            }
            Parallel.forRange(rows, grain, (r0, r1) -> {
                long p = dx.address() + r0 * c * size;
                long q = dy.address() + r0 * c * size;
                for (long r = r0; r < r1; r++) {
                    for (int ch = 0; ch < c; ch++, p += size, q += size) {
                        Mem.write(t, q, (Mem.read(t, p) - m[ch]) * is[ch] * sc[ch] + b[ch]);
                    }
                }
            });
        }
    }

    /** dScale = sum(dy * xhat), dBias = sum(dy) and dx, as {@link dev.tessera.backend.Backend#batchNormBackward} defines. */
    public static void backward(Operand x, Operand dy, Operand mean, Operand invStd, Operand scale, boolean training,
                                Operand dx, Operand dScale, Operand dBias) {
        String op = "batchNormBackward";
        long c = channels(op, x);
        check(op, x, dy);
        check(op, x, dx);
        double[] m = vector(op, mean, c, x);
        double[] is = vector(op, invStd, c, x);
        double[] sc = vector(op, scale, c, x);
        vector(op, dScale, c, x);
        vector(op, dBias, c, x);
        DType t = x.dtype();
        int size = t.byteSize();
        long rows = c == 0 ? 0 : x.numel() / c;
        long blockRows = Math.max(1, Reduce.BLOCK / Math.max(1, c));
        int blocks = (int) ((rows + blockRows - 1) / blockRows);
        boolean fast = t == DType.FLOAT32 && NativeKernels.available();
        try (Dense ix = Dense.in(op, x); Dense idy = Dense.in(op, dy); Dense odx = Dense.out(op, dx)) {
            double[] dBiasV = new double[(int) c];
            double[] dScaleV = new double[(int) c];
            if (fast) {
                nativeSums(ix.address(), idy.address(), rows, c, blockRows, blocks, m, is, dBiasV, dScaleV);
            } else {
                double[][] sumDy = new double[blocks][(int) c];
                double[][] sumDyXhat = new double[blocks][(int) c];
                Parallel.forTasks(blocks, bk -> {
                    long r0 = bk * blockRows;
                    long r1 = Math.min(rows, r0 + blockRows);
                    javaSums(t, ix.address() + r0 * c * size, idy.address() + r0 * c * size, r1 - r0, m, is, sumDy[bk],
                            sumDyXhat[bk]);
                });
                for (int bk = 0; bk < blocks; bk++) {
                    for (int ch = 0; ch < c; ch++) {
                        dBiasV[ch] += sumDy[bk][ch];
                        dScaleV[ch] += sumDyXhat[bk][ch];
                    }
                }
            }
            // dx = scale * invStd * (dy - mean(dy) - xhat * mean(dy * xhat)), with per-channel factors hoisted
            double inv = rows == 0 ? 0 : 1.0 / rows;
            double[] k = new double[(int) c];
            double[] meanDy = new double[(int) c];
            double[] perX = new double[(int) c];
            for (int ch = 0; ch < c; ch++) {
                k[ch] = sc[ch] * is[ch];
                meanDy[ch] = dBiasV[ch] * inv;
                perX[ch] = is[ch] * dScaleV[ch] * inv;
            }
            long grain = Math.max(1, Parallel.GRAIN / Math.max(1, c));
            if (fast) {
                long v = offHeap(k, meanDy, m, perX);
                try {
                    Parallel.forRange(rows, grain, (r0, r1) -> NativeKernels.bnDx(training ? 1 : 0,
                            ix.address() + r0 * c * 4, idy.address() + r0 * c * 4, odx.address() + r0 * c * 4, r1 - r0,
                            c, v, v + 8 * c, v + 16 * c, v + 24 * c));
                } finally {
                    U.freeMemory(v);
                }
            } else {
                Parallel.forRange(rows, grain, (r0, r1) -> {
                    long p = ix.address() + r0 * c * size;
                    long q = idy.address() + r0 * c * size;
                    long o = odx.address() + r0 * c * size;
                    for (long r = r0; r < r1; r++) {
                        if (t == DType.FLOAT32) {
                            for (int ch = 0; ch < c; ch++, p += 4, q += 4, o += 4) {
                                double g = U.getFloat(q);
                                U.putFloat(o, (float) (training
                                        ? k[ch] * (g - meanDy[ch] - (U.getFloat(p) - m[ch]) * perX[ch]) : k[ch] * g));
                            }
                        } else {
                            for (int ch = 0; ch < c; ch++, p += 8, q += 8, o += 8) {
                                double g = U.getDouble(q);
                                U.putDouble(o, training ? k[ch] * (g - meanDy[ch] - (U.getDouble(p) - m[ch]) * perX[ch])
                                        : k[ch] * g);
                            }
                        }
                    }
                });
            }
            write(op, dScale, dScaleV);
            write(op, dBias, dBiasV);
        }
    }

    /** Adds dy and dy * xhat per channel over {@code rows} rows into sd and sx, in row order. */
    private static void javaSums(DType t, long p, long q, long rows, double[] m, double[] is, double[] sd, double[] sx) {
        int c = sd.length;
        for (long r = 0; r < rows; r++) {
            if (t == DType.FLOAT32) {
                for (int ch = 0; ch < c; ch++, p += 4, q += 4) {
                    double g = U.getFloat(q);
                    sd[ch] += g;
                    sx[ch] += g * (U.getFloat(p) - m[ch]) * is[ch];
                }
            } else {
                for (int ch = 0; ch < c; ch++, p += 8, q += 8) {
                    double g = U.getDouble(q);
                    sd[ch] += g;
                    sx[ch] += g * (U.getDouble(p) - m[ch]) * is[ch];
                }
            }
        }
    }

    /**
     * {@link #javaSums} of every block of {@code blockRows} rows for float32 through the native loop,
     * added block by block into sd and sx; the blocks' accumulators share one off-heap buffer, each
     * task filling its own part (no Java array per block: they were a training step's garbage).
     */
    private static void nativeSums(long x, long dy, long rows, long c, long blockRows, int blocks, double[] m,
                                   double[] is, double[] sd, double[] sx) {
        long perBlock = 16 * c;
        long mv = offHeap(m, is);
        long acc = U.allocateMemory(Math.max(1, perBlock * blocks));
        try {
            U.setMemory(acc, perBlock * blocks, (byte) 0);
            Parallel.forTasks(blocks, bk -> {
                long r0 = bk * blockRows;
                long a = acc + bk * perBlock;
                NativeKernels.bnSums(x + r0 * c * 4, dy + r0 * c * 4, Math.min(rows, r0 + blockRows) - r0, c, mv,
                        mv + 8 * c, a, a + 8 * c);
            });
            for (int bk = 0; bk < blocks; bk++) {
                for (int ch = 0; ch < c; ch++) {
                    sd[ch] += U.getDouble(acc + bk * perBlock + 8L * ch);
                    sx[ch] += U.getDouble(acc + bk * perBlock + 8 * (c + ch));
                }
            }
        } finally {
            U.freeMemory(acc);
            U.freeMemory(mv);
        }
    }

    /** The vectors one after another in a new off-heap block, to be freed with {@code U.freeMemory}. */
    private static long offHeap(double[]... vectors) {
        int c = vectors[0].length;
        long a = U.allocateMemory(8L * c * vectors.length);
        for (int v = 0; v < vectors.length; v++) {
            for (int i = 0; i < c; i++) {
                U.putDouble(a + 8L * (v * (long) c + i), vectors[v][i]);
            }
        }
        return a;
    }

    private static long channels(String op, Operand x) {
        if (x.rank() < 1) {
            throw new IllegalArgumentException(op + ": input needs a channel axis — got " + x.shape());
        }
        Mem.requireFloat(op, x.dtype());
        return x.shape().dim(x.rank() - 1);
    }

    private static void check(String op, Operand x, Operand other) {
        if (!other.shape().equals(x.shape()) || other.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": expected shape " + x.shape() + " and dtype " + x.dtype() + " — got "
                    + other.shape() + " " + other.dtype());
        }
    }

    /** Reads a (C) operand of any layout. */
    private static double[] vector(String op, Operand v, long c, Operand x) {
        if (v.rank() != 1 || v.shape().dim(0) != c || v.dtype() != x.dtype()) {
            throw new IllegalArgumentException(op + ": per-channel operands must be (" + c + ") " + x.dtype()
                    + " for input " + x.shape() + " — got " + v.shape() + " " + v.dtype());
        }
        double[] out = new double[(int) c];
        long a = Mem.address(op, v);
        long s = Mem.byteStrides(v)[0];
        for (int i = 0; i < c; i++) {
            out[i] = Mem.read(v.dtype(), a + i * s);
        }
        return out;
    }

    private static void write(String op, Operand v, double[] values) {
        long a = Mem.address(op, v);
        long s = Mem.byteStrides(v)[0];
        for (int i = 0; i < values.length; i++) {
            Mem.write(v.dtype(), a + i * s, values[i]);
        }
    }
}
