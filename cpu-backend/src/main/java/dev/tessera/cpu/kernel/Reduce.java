package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import dev.tessera.backend.ReduceOp;

/**
 * Reductions over any set of axes. Each output folds its reduced elements in row-major order
 * (float32 in a double accumulator). Long reductions are cut into fixed blocks of {@link #BLOCK}
 * elements whose partial results are combined in block order, so the bits never depend on the
 * thread count.
 */
public final class Reduce {
    /** Reduced elements per partial result. */
    public static final long BLOCK = 16_384;

    private Reduce() {
    }

    /** out = op over {@code axes} of x; out keeps x's rank with reduced axes of size 1. */
    public static void reduce(ReduceOp op, Operand x, int[] axes, Operand out) {
        String name = op.kernel();
        int rank = x.rank();
        if (out.rank() != rank) {
            throw new IllegalArgumentException(name + ": output rank must equal input rank — got " + out.shape()
                    + " for " + x.shape());
        }
        boolean[] reduced = new boolean[rank];
        for (int a : axes) {
            if (a < 0 || a >= rank) {
                throw new IllegalArgumentException(name + ": axis " + a + " is out of range for " + x.shape());
            }
            reduced[a] = true;
        }
        long[] keptShape = x.shape().toArray();
        long[] redShape = x.shape().toArray();
        for (int i = 0; i < rank; i++) {
            if (reduced[i]) {
                keptShape[i] = 1;
            } else {
                redShape[i] = 1;
            }
            if (out.shape().dim(i) != keptShape[i]) {
                throw new IllegalArgumentException(name + ": output shape " + out.shape() + " does not match input "
                        + x.shape() + " reduced over the given axes");
            }
        }
        if (op.isArg()) {
            if (axes.length != 1 || out.dtype() != DType.INT64) {
                throw new IllegalArgumentException(name + ": needs exactly one axis and an INT64 output — got "
                        + axes.length + " axes and " + out.dtype());
            }
        } else if (out.dtype() != x.dtype()) {
            throw new IllegalArgumentException(name + ": output dtype must be " + x.dtype() + " — got " + out.dtype());
        }
        if (foldRows(op, x, axes, out)) {
            return;
        }
        long[] xs = Mem.byteStrides(x);
        Strided outer = new Strided(keptShape, new long[] {Mem.address(name, out), Mem.address(name, x)},
                Mem.byteStrides(out), xs);
        Strided inner = new Strided(redShape, new long[] {0}, xs);
        long m = outer.numel();
        long r = inner.numel();
        if (m == 0) {
            return;
        }
        if (r == 0 && op.isArg()) {
            throw new IllegalArgumentException(name + ": axis " + axes[0] + " of " + x.shape() + " is empty");
        }
        int nblocks = (int) Math.max(1, (r + BLOCK - 1) / BLOCK);
        DType t = x.dtype();
        DType to = out.dtype();
        if (nblocks == 1) {
            long grain = Math.max(1, Parallel.GRAIN / Math.max(1, r));
            Parallel.forRange(m, grain, (j0, j1) -> outer.rows(j0, j1, (pos, n, addr) -> {
                long so = outer.innerStride(0);
                long sx = outer.innerStride(1);
                for (long i = 0; i < n; i++) {
                    long xb = addr[1] + i * sx;
                    long ob = addr[0] + i * so;
                    if (op.isArg()) {
                        U.putLong(ob, (long) arg(op, t, xb, inner, 0, r)[1]);
                    } else {
                        Mem.write(to, ob, fold(op, t, xb, inner, 0, r));
                    }
                }
            }));
            return;
        }
        double[] val = new double[(int) (m * nblocks)];
        long[] idx = op.isArg() ? new long[val.length] : null;
        Parallel.forRange(val.length, 1, (t0, t1) -> {
            long[] xAddr = new long[2];
            for (long task = t0; task < t1; task++) {
                long j = task / nblocks;
                long b = task % nblocks;
                outer.rows(j, j + 1, (pos, n, addr) -> System.arraycopy(addr, 0, xAddr, 0, 2));
                long r0 = b * BLOCK;
                long r1 = Math.min(r, r0 + BLOCK);
                if (idx != null) {
                    double[] best = arg(op, t, xAddr[1], inner, r0, r1);
                    val[(int) task] = best[0];
                    idx[(int) task] = (long) best[1];
                } else {
                    val[(int) task] = fold(op, t, xAddr[1], inner, r0, r1);
                }
            }
        });
        outer.rows(0, m, (pos, n, addr) -> {
            for (long i = 0; i < n; i++) {
                int first = (int) ((pos + i) * nblocks);
                long ob = addr[0] + i * outer.innerStride(0);
                double acc = val[first];
                long at = idx == null ? 0 : idx[first];
                for (int k = 1; k < nblocks; k++) {
                    if (idx == null) {
                        acc = op.combine(acc, val[first + k]);
                    } else if (better(op, val[first + k], acc)) {
                        acc = val[first + k];
                        at = idx[first + k];
                    }
                }
                if (idx == null) {
                    Mem.write(to, ob, acc);
                } else {
                    U.putLong(ob, at);
                }
            }
        });
    }

    /**
     * Sums or takes the maximum of a contiguous x over a run of consecutive axes that leaves the
     * last axis (a bias gradient, (N, C) to (1, C); a global pooling, (N, H, W, C) to (N, 1, 1, C)),
     * by folding whole rows into per-column accumulators instead of walking columns with a large
     * stride. Columns are cut into chunks and rows into fixed blocks, both sized from the shape
     * alone, and blocks combine in order, so the bits do not depend on the thread count. Returns
     * false when the op, dtype or layout does not fit.
     */
    private static boolean foldRows(ReduceOp op, Operand x, int[] axes, Operand out) {
        DType t = x.dtype();
        int k = axes.length;
        if ((op != ReduceOp.SUM && op != ReduceOp.MAX) || !t.isFloating() || !x.layout().isContiguous()
                || !out.layout().isContiguous() || k == 0) {
            return false;
        }
        int first = axes[0];
        for (int i = 1; i < k; i++) {
            if (axes[i] != first + i) {
                return false;
            }
        }
        int last = first + k;
        if (last >= x.rank()) {
            return false;
        }
        long[] dims = x.shape().toArray();
        long outer = product(dims, 0, first);
        long rows = product(dims, first, last);
        long cols = product(dims, last, dims.length);
        if (cols <= 1 || rows == 0 || outer == 0) {
            return false;
        }
        boolean sum = op == ReduceOp.SUM;
        int size = t.byteSize();
        long xa = Mem.address(op.kernel(), x);
        long oa = Mem.address(op.kernel(), out);
        long chunk = 4096;
        long blockRows = cols >= 65_536 ? rows : Math.max(1, 65_536 / cols);
        int colChunks = (int) ((cols + chunk - 1) / chunk);
        int rowBlocks = (int) ((rows + blockRows - 1) / blockRows);
        int perOuter = rowBlocks * colChunks;
        int tasks = Math.toIntExact(outer * perOuter);
        boolean fast = t == DType.FLOAT32 && NativeKernels.available();
        // Partial results live off the heap, one stripe per task: floats for the native max (its
        // accumulators), doubles otherwise. A double[] per task was most of a training step's Java
        // garbage (1,568 arrays per bias gradient of a 64x112x112x128 map).
        int slot = fast && !sum ? 4 : 8;
        long stripe = Math.min(cols, chunk) * slot;
        long partsBytes = tasks * stripe;
        long parts = HostBlocks.allocate(partsBytes);
        try {
            Parallel.forTasks(tasks, task -> {
                long o = task / perOuter;
                int inOuter = task % perOuter;
                long c0 = (inOuter % colChunks) * chunk;
                int width = (int) (Math.min(cols, c0 + chunk) - c0);
                long r0 = (inOuter / colChunks) * blockRows;
                long r1 = Math.min(rows, r0 + blockRows);
                long p0 = xa + ((o * rows + r0) * cols + c0) * size;
                long at = parts + task * stripe;
                if (fast && sum) {
                    U.setMemory(at, 8L * width, (byte) 0);
                    NativeKernels.sumRows(p0, cols, r1 - r0, width, at);
                } else if (fast) {
                    for (int j = 0; j < width; j++) {
                        U.putFloat(at + 4L * j, Float.NEGATIVE_INFINITY);
                    }
                    NativeKernels.maxRows(p0, cols, r1 - r0, width, at);
                } else {
                    double[] folded = foldJava(sum, t, p0, cols, r1 - r0, width);
                    for (int j = 0; j < width; j++) {
                        U.putDouble(at + 8L * j, folded[j]);
                    }
                }
            });
            for (long o = 0; o < outer; o++) {
                for (int cc = 0; cc < colChunks; cc++) {
                    int width = (int) (Math.min(cols, (cc + 1L) * chunk) - cc * chunk);
                    double[] acc = new double[width];
                    for (int rb = 0; rb < rowBlocks; rb++) {
                        long at = parts + (o * perOuter + (long) rb * colChunks + cc) * stripe;
                        for (int j = 0; j < width; j++) {
                            double v = slot == 4 ? U.getFloat(at + 4L * j) : U.getDouble(at + 8L * j);
                            acc[j] = rb == 0 ? v : sum ? acc[j] + v : maxKeepNaN(acc[j], v);
                        }
                    }
                    long ob = oa + (o * cols + cc * chunk) * size;
                    for (int j = 0; j < width; j++) {
                        Mem.write(t, ob + (long) j * size, acc[j]);
                    }
                }
            }
        } finally {
            HostBlocks.free(parts, partsBytes);
        }
        return true;
    }

    private static long product(long[] dims, int from, int to) {
        long p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    private static double maxKeepNaN(double acc, double v) {
        return v > acc || v != v ? v : acc;
    }

    /** Folds {@code rows} rows of {@code width} elements, {@code stride} elements apart, starting at p. */
    private static double[] foldJava(boolean sum, DType t, long p, long stride, long rows, int width) {
        double[] acc = new double[width];
        if (!sum) {
            java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
        }
        int size = t.byteSize();
        for (long r = 0; r < rows; r++, p += stride * size) {
            for (int j = 0; j < width; j++) {
                double v = t == DType.FLOAT32 ? U.getFloat(p + 4L * j) : U.getDouble(p + 8L * j);
                acc[j] = sum ? acc[j] + v : maxKeepNaN(acc[j], v);
            }
        }
        return acc;
    }

    /** Folds reduced elements [r0, r1) of the output whose first element is at byte address xb. */
    private static double fold(ReduceOp op, DType t, long xb, Strided inner, long r0, long r1) {
        if (inner.isFlat()) {
            long s = inner.innerStride(0);
            return foldRow(op, t, op.identity(), xb + r0 * s, s, r1 - r0);
        }
        double[] acc = {op.identity()};
        long s = inner.innerStride(0);
        inner.rows(r0, r1, (pos, n, addr) -> acc[0] = foldRow(op, t, acc[0], xb + addr[0], s, n));
        return acc[0];
    }

    private static double foldRow(ReduceOp op, DType t, double acc, long p, long s, long n) {
        if (op == ReduceOp.SUM && t == DType.FLOAT32) {
            // NOTE: four interleaved accumulators break the add latency chain (about 3x faster);
            // the split depends only on n, so the bits do not depend on the thread count.
            double a1 = 0;
            double a2 = 0;
            double a3 = 0;
            long i = 0;
            for (; i + 4 <= n; i += 4, p += 4 * s) {
                acc += U.getFloat(p);
                a1 += U.getFloat(p + s);
                a2 += U.getFloat(p + 2 * s);
                a3 += U.getFloat(p + 3 * s);
            }
            for (; i < n; i++, p += s) {
                acc += U.getFloat(p);
            }
            acc += a1 + a2 + a3;
        } else if (op == ReduceOp.SUM && t == DType.FLOAT64) {
            for (long i = 0; i < n; i++, p += s) {
                acc += U.getDouble(p);
            }
        } else if (op == ReduceOp.MAX && t == DType.FLOAT32) {
            for (long i = 0; i < n; i++, p += s) {
                float v = U.getFloat(p);
                if (v > acc || v != v) {
                    acc = v;
                }
            }
        } else {
            for (long i = 0; i < n; i++, p += s) {
                acc = op.combine(acc, Mem.read(t, p));
            }
        }
        return acc;
    }

    /** {best value, its index} among reduced elements [r0, r1); the first one wins ties. */
    private static double[] arg(ReduceOp op, DType t, long xb, Strided inner, long r0, long r1) {
        long s = inner.innerStride(0);
        long p = xb + r0 * s;
        double best = Mem.read(t, p);
        long at = r0;
        p += s;
        for (long i = r0 + 1; i < r1; i++, p += s) {
            double v = Mem.read(t, p);
            if (better(op, v, best)) {
                best = v;
                at = i;
            }
        }
        return new double[] {best, at};
    }

    /** Whether v beats the current best; NaN beats every number, as in NumPy's argmax. */
    private static boolean better(ReduceOp op, double v, double best) {
        if (best != best) {
            return false;
        }
        if (v != v) {
            return true;
        }
        return op == ReduceOp.ARGMAX ? v > best : v < best;
    }
}
