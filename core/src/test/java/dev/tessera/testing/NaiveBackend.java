package dev.tessera.testing;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.RandomBits;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.Storage;
import dev.tessera.backend.UnaryOp;

/**
 * The executable definition of every {@link Backend} primitive: float64 nested loops over
 * {@link Layout#indexOf}-style index arithmetic, with no attention to speed. Other backends are
 * compared against it, and core's own tests run on it.
 */
public final class NaiveBackend implements Backend {
    private final Device device;

    public NaiveBackend(Device device) {
        this.device = device;
    }

    /** A naive backend for the host CPU. */
    public NaiveBackend() {
        this(Device.cpu());
    }

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public Device device() {
        return device;
    }

    @Override
    public Storage allocate(DType dtype, long numel) {
        return new NaiveStorage(device, dtype, numel);
    }

    @Override
    public void copyFromHost(Object array, Storage dst) {
        NaiveStorage s = storage(dst);
        checkHostArray("copyFromHost", array, s);
        int n = java.lang.reflect.Array.getLength(array);
        for (int i = 0; i < n; i++) {
            switch (s.dtype()) {
                case FLOAT32 -> s.set(i, ((float[]) array)[i]);
                case FLOAT64 -> s.set(i, ((double[]) array)[i]);
                case INT32 -> s.setLong(i, ((int[]) array)[i]);
                case INT64 -> s.setLong(i, ((long[]) array)[i]);
            }
        }
    }

    @Override
    public void copyToHost(Storage src, Object array) {
        NaiveStorage s = storage(src);
        checkHostArray("copyToHost", array, s);
        int n = java.lang.reflect.Array.getLength(array);
        for (int i = 0; i < n; i++) {
            switch (s.dtype()) {
                case FLOAT32 -> ((float[]) array)[i] = (float) s.get(i);
                case FLOAT64 -> ((double[]) array)[i] = s.get(i);
                case INT32 -> ((int[]) array)[i] = (int) s.getLong(i);
                case INT64 -> ((long[]) array)[i] = s.getLong(i);
            }
        }
    }

    private static void checkHostArray(String op, Object array, NaiveStorage s) {
        Class<?> expected = switch (s.dtype()) {
            case FLOAT32 -> float[].class;
            case FLOAT64 -> double[].class;
            case INT32 -> int[].class;
            case INT64 -> long[].class;
        };
        if (array == null || array.getClass() != expected) {
            throw new IllegalArgumentException(op + ": a " + s.dtype() + " storage needs a " + expected.getSimpleName()
                    + " — got " + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        int n = java.lang.reflect.Array.getLength(array);
        if (n > s.numel()) {
            throw new IllegalArgumentException(op + ": array of " + n + " elements exceeds the storage of " + s.numel());
        }
    }

    @Override
    public void copy(Operand src, Operand dst) {
        NaiveStorage s = storage(src.storage());
        NaiveStorage d = storage(dst.storage());
        boolean exactInts = !src.dtype().isFloating() && !dst.dtype().isFloating();
        for (long i = 0; i < dst.numel(); i++) {
            long si = at(src.layout(), i);
            long di = at(dst.layout(), i);
            if (exactInts) {
                d.setLong(di, s.getLong(si));
            } else {
                d.set(di, s.get(si));
            }
        }
    }

    @Override
    public void fill(Operand dst, double value) {
        NaiveStorage d = storage(dst.storage());
        for (long i = 0; i < dst.numel(); i++) {
            d.set(at(dst.layout(), i), value);
        }
    }

    @Override
    public void unary(UnaryOp op, Operand x, Operand out, double alpha) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < out.numel(); i++) {
            os.set(at(out.layout(), i), op.apply(xs.get(at(x.layout(), i)), alpha));
        }
    }

    @Override
    public void binary(BinaryOp op, Operand a, Operand b, Operand out) {
        NaiveStorage as = storage(a.storage());
        NaiveStorage bs = storage(b.storage());
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < out.numel(); i++) {
            os.set(at(out.layout(), i), op.apply(as.get(at(a.layout(), i)), bs.get(at(b.layout(), i))));
        }
    }

    @Override
    public void where(Operand cond, Operand a, Operand b, Operand out) {
        NaiveStorage cs = storage(cond.storage());
        NaiveStorage as = storage(a.storage());
        NaiveStorage bs = storage(b.storage());
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < out.numel(); i++) {
            boolean c = cs.get(at(cond.layout(), i)) != 0;
            os.set(at(out.layout(), i), c ? as.get(at(a.layout(), i)) : bs.get(at(b.layout(), i)));
        }
    }

    @Override
    public void reduce(ReduceOp op, Operand x, int[] axes, Operand out) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage os = storage(out.storage());
        Shape outShape = out.shape();
        int n = Math.toIntExact(out.numel());
        double[] acc = new double[n];
        long[] arg = new long[n];
        java.util.Arrays.fill(acc, op.identity());
        java.util.Arrays.fill(arg, op.isArg() ? -1 : 0);
        for (long i = 0; i < x.numel(); i++) {
            long[] idx = unravel(x.shape(), i);
            long pos = op.isArg() ? idx[axes[0]] : 0;
            for (int a : axes) {
                idx[a] = 0;
            }
            int o = Math.toIntExact(ravel(outShape, idx));
            double v = xs.get(at(x.layout(), i));
            if (op.isArg()) {
                if (arg[o] < 0 || beats(op, v, acc[o])) {
                    acc[o] = v;
                    arg[o] = pos;
                }
            } else {
                acc[o] = op.combine(acc[o], v);
            }
        }
        for (int o = 0; o < n; o++) {
            long oi = at(out.layout(), o);
            if (op.isArg()) {
                os.setLong(oi, arg[o]);
            } else {
                os.set(oi, acc[o]);
            }
        }
    }

    /** Whether {@code v} replaces the current extreme {@code best}; the first NaN wins, later ties do not. */
    private static boolean beats(ReduceOp op, double v, double best) {
        if (Double.isNaN(best)) {
            return false;
        }
        if (Double.isNaN(v)) {
            return true;
        }
        return op == ReduceOp.ARGMAX ? v > best : v < best;
    }

    @Override
    public void gemm(Operand a, Operand b, Operand out) {
        NaiveStorage as = storage(a.storage());
        NaiveStorage bs = storage(b.storage());
        NaiveStorage os = storage(out.storage());
        long batches = out.shape().dim(0);
        long m = out.shape().dim(1);
        long n = out.shape().dim(2);
        long k = a.shape().dim(2);
        for (long bi = 0; bi < batches; bi++) {
            for (long i = 0; i < m; i++) {
                for (long j = 0; j < n; j++) {
                    double s = 0;
                    for (long p = 0; p < k; p++) {
                        s += as.get(a.layout().indexOf(bi, i, p)) * bs.get(b.layout().indexOf(bi, p, j));
                    }
                    os.set(out.layout().indexOf(bi, i, j), s);
                }
            }
        }
    }

    /** Calls {@code body(n, oh, ow, kh, kw, ih, iw)} for every output position and kernel tap that lands inside the input. */
    private interface ConvVisitor {
        void visit(long n, long oh, long ow, long kh, long kw, long ih, long iw);
    }

    private static void convTaps(Conv2dSpec s, Shape x, Shape w, Shape y, ConvVisitor body) {
        for (long n = 0; n < y.dim(0); n++) {
            for (long oh = 0; oh < y.dim(1); oh++) {
                for (long ow = 0; ow < y.dim(2); ow++) {
                    for (long kh = 0; kh < w.dim(0); kh++) {
                        long ih = oh * s.strideH() - s.padTop() + kh * s.dilationH();
                        for (long kw = 0; kw < w.dim(1); kw++) {
                            long iw = ow * s.strideW() - s.padLeft() + kw * s.dilationW();
                            if (ih >= 0 && ih < x.dim(1) && iw >= 0 && iw < x.dim(2)) {
                                body.visit(n, oh, ow, kh, kw, ih, iw);
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void conv2d(Conv2dSpec spec, Operand x, Operand w, Operand y) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage ws = storage(w.storage());
        long channels = w.shape().dim(2);
        long filters = w.shape().dim(3);
        double[] acc = new double[Math.toIntExact(y.numel())];
        Shape ys = y.shape();
        convTaps(spec, x.shape(), w.shape(), ys, (n, oh, ow, kh, kw, ih, iw) -> {
            for (long o = 0; o < filters; o++) {
                int yi = Math.toIntExact(ravel(ys, n, oh, ow, o));
                for (long c = 0; c < channels; c++) {
                    acc[yi] += xs.get(x.layout().indexOf(n, ih, iw, c)) * ws.get(w.layout().indexOf(kh, kw, c, o));
                }
            }
        });
        writeAll(acc, y);
    }

    @Override
    public void conv2dBackwardData(Conv2dSpec spec, Operand dy, Operand w, Operand dx) {
        NaiveStorage dys = storage(dy.storage());
        NaiveStorage ws = storage(w.storage());
        long channels = w.shape().dim(2);
        long filters = w.shape().dim(3);
        double[] acc = new double[Math.toIntExact(dx.numel())];
        Shape xs = dx.shape();
        convTaps(spec, xs, w.shape(), dy.shape(), (n, oh, ow, kh, kw, ih, iw) -> {
            for (long c = 0; c < channels; c++) {
                int xi = Math.toIntExact(ravel(xs, n, ih, iw, c));
                for (long o = 0; o < filters; o++) {
                    acc[xi] += dys.get(dy.layout().indexOf(n, oh, ow, o)) * ws.get(w.layout().indexOf(kh, kw, c, o));
                }
            }
        });
        writeAll(acc, dx);
    }

    @Override
    public void conv2dBackwardFilter(Conv2dSpec spec, Operand x, Operand dy, Operand dw) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage dys = storage(dy.storage());
        long channels = dw.shape().dim(2);
        long filters = dw.shape().dim(3);
        double[] acc = new double[Math.toIntExact(dw.numel())];
        Shape ws = dw.shape();
        convTaps(spec, x.shape(), ws, dy.shape(), (n, oh, ow, kh, kw, ih, iw) -> {
            for (long c = 0; c < channels; c++) {
                for (long o = 0; o < filters; o++) {
                    int wi = Math.toIntExact(ravel(ws, kh, kw, c, o));
                    acc[wi] += xs.get(x.layout().indexOf(n, ih, iw, c)) * dys.get(dy.layout().indexOf(n, oh, ow, o));
                }
            }
        });
        writeAll(acc, dw);
    }

    /** The in-bounds input positions (ih, iw) of one pooling window, row by row; padding is excluded. */
    private static java.util.List<long[]> window(PoolSpec s, long h, long w, long oh, long ow) {
        java.util.List<long[]> taps = new java.util.ArrayList<>();
        for (long kh = 0; kh < s.kernelH(); kh++) {
            long ih = oh * s.strideH() - s.padTop() + kh;
            for (long kw = 0; kw < s.kernelW(); kw++) {
                long iw = ow * s.strideW() - s.padLeft() + kw;
                if (ih >= 0 && ih < h && iw >= 0 && iw < w) {
                    taps.add(new long[] {ih, iw});
                }
            }
        }
        return taps;
    }

    /** Calls {@code body(n, oh, ow, c, taps)} for every output element of a pooling with output shape {@code y}. */
    private interface PoolVisitor {
        void visit(long n, long oh, long ow, long c, java.util.List<long[]> taps);
    }

    private static void poolWindows(PoolSpec spec, Shape x, Shape y, PoolVisitor body) {
        for (long n = 0; n < y.dim(0); n++) {
            for (long oh = 0; oh < y.dim(1); oh++) {
                for (long ow = 0; ow < y.dim(2); ow++) {
                    java.util.List<long[]> taps = window(spec, x.dim(1), x.dim(2), oh, ow);
                    for (long c = 0; c < y.dim(3); c++) {
                        body.visit(n, oh, ow, c, taps);
                    }
                }
            }
        }
    }

    @Override
    public void pool2d(PoolSpec spec, Operand x, Operand y) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage ys = storage(y.storage());
        boolean max = spec.kind() == PoolSpec.Kind.MAX;
        poolWindows(spec, x.shape(), y.shape(), (n, oh, ow, c, taps) -> {
            double v = max ? Double.NEGATIVE_INFINITY : 0.0;
            for (long[] t : taps) {
                double xv = xs.get(x.layout().indexOf(n, t[0], t[1], c));
                v = max ? ReduceOp.MAX.combine(v, xv) : v + xv;
            }
            ys.set(y.layout().indexOf(n, oh, ow, c), max ? v : v / taps.size());
        });
    }

    @Override
    public void pool2dBackward(PoolSpec spec, Operand x, Operand y, Operand dy, Operand dx) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage dys = storage(dy.storage());
        Shape xShape = dx.shape();
        double[] acc = new double[Math.toIntExact(dx.numel())];
        poolWindows(spec, xShape, dy.shape(), (n, oh, ow, c, taps) -> {
            double g = dys.get(dy.layout().indexOf(n, oh, ow, c));
            if (spec.kind() == PoolSpec.Kind.AVG) {
                for (long[] t : taps) {
                    acc[Math.toIntExact(ravel(xShape, n, t[0], t[1], c))] += g / taps.size();
                }
                return;
            }
            long[] best = null;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (long[] t : taps) {
                double xv = xs.get(x.layout().indexOf(n, t[0], t[1], c));
                if (best == null || xv > bestValue || (Double.isNaN(xv) && !Double.isNaN(bestValue))) {
                    best = t;
                    bestValue = xv;
                }
            }
            if (best != null) {
                acc[Math.toIntExact(ravel(xShape, n, best[0], best[1], c))] += g;
            }
        });
        writeAll(acc, dx);
    }

    @Override
    public void batchNorm(Operand x, Operand mean, Operand invStd, Operand scale, Operand bias, Operand y) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage ys = storage(y.storage());
        int rank = x.rank();
        for (long i = 0; i < x.numel(); i++) {
            long c = unravel(x.shape(), i)[rank - 1];
            double xhat = (xs.get(at(x.layout(), i)) - value(mean, c)) * value(invStd, c);
            ys.set(at(y.layout(), i), xhat * value(scale, c) + value(bias, c));
        }
    }

    @Override
    public void batchNormBackward(Operand x, Operand dy, Operand mean, Operand invStd, Operand scale,
                                  boolean training, Operand dx, Operand dScale, Operand dBias) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage dys = storage(dy.storage());
        int rank = x.rank();
        int channels = Math.toIntExact(x.shape().dim(rank - 1));
        long perChannel = channels == 0 ? 0 : x.numel() / channels;
        double[] sumDy = new double[channels];
        double[] sumDyXhat = new double[channels];
        for (long i = 0; i < x.numel(); i++) {
            int c = (int) unravel(x.shape(), i)[rank - 1];
            double xhat = (xs.get(at(x.layout(), i)) - value(mean, c)) * value(invStd, c);
            double g = dys.get(at(dy.layout(), i));
            sumDy[c] += g;
            sumDyXhat[c] += g * xhat;
        }
        NaiveStorage dxs = storage(dx.storage());
        for (long i = 0; i < x.numel(); i++) {
            int c = (int) unravel(x.shape(), i)[rank - 1];
            double k = value(scale, c) * value(invStd, c);
            double g = dys.get(at(dy.layout(), i));
            double v;
            if (training) {
                double xhat = (xs.get(at(x.layout(), i)) - value(mean, c)) * value(invStd, c);
                v = k * (g - sumDy[c] / perChannel - xhat * sumDyXhat[c] / perChannel);
            } else {
                v = k * g;
            }
            dxs.set(at(dx.layout(), i), v);
        }
        writeAll(sumDyXhat, dScale);
        writeAll(sumDy, dBias);
    }

    @Override
    public void softmax(Operand x, boolean log, Operand y) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage ys = storage(y.storage());
        int rank = x.rank();
        long n = rank == 0 ? 1 : x.shape().dim(rank - 1);
        long rows = n == 0 ? 0 : x.numel() / n;
        for (long r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (long j = 0; j < n; j++) {
                max = Math.max(max, xs.get(at(x.layout(), r * n + j)));
            }
            double sum = 0;
            for (long j = 0; j < n; j++) {
                sum += Math.exp(xs.get(at(x.layout(), r * n + j)) - max);
            }
            for (long j = 0; j < n; j++) {
                double shifted = xs.get(at(x.layout(), r * n + j)) - max;
                ys.set(at(y.layout(), r * n + j), log ? shifted - Math.log(sum) : Math.exp(shifted) / sum);
            }
        }
    }

    @Override
    public void gather(Operand x, int axis, Operand index, Operand out) {
        NaiveStorage xs = storage(x.storage());
        NaiveStorage is = storage(index.storage());
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < out.numel(); i++) {
            long[] idx = unravel(out.shape(), i);
            idx[axis] = checkedIndex("gather", is.getLong(at(index.layout(), i)), x.shape(), axis);
            os.set(at(out.layout(), i), xs.get(x.layout().indexOf(idx)));
        }
    }

    @Override
    public void scatterAdd(Operand src, int axis, Operand index, Operand out) {
        NaiveStorage ss = storage(src.storage());
        NaiveStorage is = storage(index.storage());
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < src.numel(); i++) {
            long[] idx = unravel(src.shape(), i);
            idx[axis] = checkedIndex("scatterAdd", is.getLong(at(index.layout(), i)), out.shape(), axis);
            long o = out.layout().indexOf(idx);
            os.set(o, os.get(o) + ss.get(at(src.layout(), i)));
        }
    }

    private static long checkedIndex(String op, long v, Shape shape, int axis) {
        if (v < 0 || v >= shape.dim(axis)) {
            throw new IllegalArgumentException(op + ": index " + v + " is out of range for axis " + axis
                    + " of size " + shape.dim(axis) + " in " + shape);
        }
        return v;
    }

    @Override
    public void random(RandomOp op, long seed, long counter, double a, double b, Operand out) {
        NaiveStorage os = storage(out.storage());
        for (long i = 0; i < out.numel(); i++) {
            os.set(at(out.layout(), i), RandomBits.sample(op, seed, counter, i, a, b));
        }
    }

    // ---- index arithmetic -----------------------------------------------------------------

    private NaiveStorage storage(Storage s) {
        if (!(s instanceof NaiveStorage n)) {
            throw new IllegalArgumentException("naive: storage of another backend — got " + s.getClass().getName());
        }
        if (!n.isLive()) {
            throw new IllegalStateException("naive: storage used after it was released");
        }
        return n;
    }

    /** The multi-index of row-major position {@code linear} in {@code shape}. */
    static long[] unravel(Shape shape, long linear) {
        long[] idx = new long[shape.rank()];
        long rest = linear;
        for (int d = shape.rank() - 1; d >= 0; d--) {
            long size = shape.dim(d);
            idx[d] = rest % size;
            rest /= size;
        }
        return idx;
    }

    /** The row-major position of a multi-index in {@code shape}. */
    static long ravel(Shape shape, long... idx) {
        long p = 0;
        for (int d = 0; d < idx.length; d++) {
            p = p * shape.dim(d) + idx[d];
        }
        return p;
    }

    /** Storage index of the element at row-major position {@code linear} of the layout's shape. */
    static long at(Layout layout, long linear) {
        return layout.indexOf(unravel(layout.shape(), linear));
    }

    /** Element {@code c} of a rank-1 operand. */
    private double value(Operand v, long c) {
        return storage(v.storage()).get(v.layout().indexOf(c));
    }

    /** Writes row-major accumulators into {@code out} (any layout). */
    private void writeAll(double[] acc, Operand out) {
        NaiveStorage os = storage(out.storage());
        for (int i = 0; i < acc.length; i++) {
            os.set(at(out.layout(), i), acc[i]);
        }
    }
}
