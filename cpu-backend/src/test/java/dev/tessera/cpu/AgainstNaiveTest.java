package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.UnaryOp;
import dev.tessera.testing.NaiveBackend;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Element-wise, reduction, softmax, indexing, copy and random kernels against core's float64
 * NaiveBackend on strided and broadcast layouts, for every op constant and dtype.
 */
class AgainstNaiveTest {
    private static final Backend NAIVE = new NaiveBackend();
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    /** The same values on both backends, then viewed through the same layout. */
    private record Twin(Operand cpu, Operand naive) {
        Twin view(Function<Layout, Layout> f) {
            return new Twin(new Operand(cpu.storage(), f.apply(cpu.layout())),
                    new Operand(naive.storage(), f.apply(naive.layout())));
        }
    }

    private static Twin twin(DType t, double[] data, long... dims) {
        return new Twin(Host.operand(t, data, dims), load(NAIVE, t, data, dims));
    }

    private static Twin empty(DType t, long... dims) {
        Shape s = Shape.of(dims);
        return new Twin(Operand.contiguous(Host.CPU.allocate(t, s.numel()), s),
                Operand.contiguous(NAIVE.allocate(t, s.numel()), s));
    }

    private static Operand load(Backend b, DType t, double[] data, long... dims) {
        Operand o = Operand.contiguous(b.allocate(t, data.length), Shape.of(dims));
        Operand f64 = Operand.contiguous(b.allocate(DType.FLOAT64, data.length), Shape.of(dims));
        b.copyFromHost(data.clone(), f64.storage());
        b.copy(f64, o);
        return o;
    }

    private static double[] read(Backend b, Operand o) {
        Operand c = Operand.contiguous(b.allocate(DType.FLOAT64, o.numel()), o.shape());
        b.copy(o, c);
        double[] d = new double[(int) o.numel()];
        b.copyToHost(c.storage(), d);
        return d;
    }

    private static void assertSame(String what, Twin t, double tol) {
        double[] expected = read(NAIVE, t.naive);
        double[] actual = read(Host.CPU, t.cpu);
        if (tol == 0) {
            assertArrayEquals(expected, actual, what);
        } else {
            Host.assertClose(expected, actual, tol);
        }
    }

    private static double tol(DType t) {
        return t == DType.FLOAT32 ? 1e-6 : t == DType.FLOAT64 ? 1e-13 : 0;
    }

    /** A (rows, cols) layout read column-major: a transposed view of (cols, rows) memory. */
    private static Layout transposed(Layout l) {
        long r = l.shape().dim(0);
        long c = l.shape().dim(1);
        return new Layout(Shape.of(c, r), new long[] {1, c}, l.offset());
    }

    private static double[] values(long seed, int n, boolean positive, boolean integral) {
        double[] d = Host.random(seed, n);
        for (int i = 0; i < n; i++) {
            if (integral) {
                d[i] = Math.floor(d[i] * 4) + (positive ? 5 : 0);
            } else if (positive) {
                d[i] = Math.abs(d[i]) * 2 + 0.1;
            }
        }
        return d;
    }

    @Test
    void everyUnaryOpOnATransposedInput() {
        for (UnaryOp op : UnaryOp.values()) {
            boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT || op == UnaryOp.POW_SCALAR
                    || op == UnaryOp.RECIPROCAL;
            for (DType t : DType.values()) {
                boolean integral = !t.isFloating();
                Twin x = twin(t, values(op.ordinal(), 35 * 33, positive, integral), 35, 33)
                        .view(AgainstNaiveTest::transposed);
                Twin out = empty(t, 33, 35);
                Host.CPU.unary(op, x.cpu, out.cpu, 0.3);
                NAIVE.unary(op, x.naive, out.naive, 0.3);
                assertSame(op + " " + t, out, tol(t));
            }
        }
    }

    @Test
    void everyBinaryOpWithRowAndScalarBroadcastAndInPlace() {
        for (BinaryOp op : BinaryOp.values()) {
            for (DType t : DType.values()) {
                boolean integral = !t.isFloating() || op.isComparison();
                boolean positive = op == BinaryOp.POW || op == BinaryOp.DIV;
                Twin a = twin(t, values(1, 3 * 67, positive, integral), 3, 67);
                Twin row = twin(t, values(2, 67, positive, integral), 67)
                        .view(l -> new Layout(Shape.of(3, 67), new long[] {0, 1}, 0));
                Twin scalar = twin(t, values(3, 2, true, integral), 2)
                        .view(l -> new Layout(Shape.of(3, 67), new long[] {0, 0}, 1));
                for (Twin b : new Twin[] {row, scalar}) {
                    Twin out = empty(t, 3, 67);
                    Host.CPU.binary(op, a.cpu, b.cpu, out.cpu);
                    NAIVE.binary(op, a.naive, b.naive, out.naive);
                    assertSame(op + " " + t, out, tol(t));
                }
                Host.CPU.binary(op, a.cpu, row.cpu, a.cpu);
                NAIVE.binary(op, a.naive, row.naive, a.naive);
                assertSame(op + " in place " + t, a, tol(t));
            }
        }
    }

    @Test
    void reductionsOverEveryAxisSet() {
        int[][] axesSets = {{0}, {1}, {2}, {0, 1}, {0, 2}, {1, 2}, {0, 1, 2}};
        for (DType t : DType.values()) {
            // (4, 5, 6) read through permuted strides of (6, 5, 4) memory, and contiguous
            Twin permuted = twin(t, values(9, 120, true, !t.isFloating()), 6, 5, 4)
                    .view(l -> new Layout(Shape.of(4, 5, 6), new long[] {1, 4, 20}, 0));
            Twin contiguous = twin(t, values(19, 120, true, !t.isFloating()), 4, 5, 6);
            for (Twin x : new Twin[] {permuted, contiguous}) {
                for (ReduceOp op : ReduceOp.values()) {
                    for (int[] axes : axesSets) {
                        if (op.isArg() && axes.length != 1) {
                            continue;
                        }
                        long[] dims = {4, 5, 6};
                        for (int a : axes) {
                            dims[a] = 1;
                        }
                        Twin out = empty(op.isArg() ? DType.INT64 : t, dims);
                        Host.CPU.reduce(op, x.cpu, axes, out.cpu);
                        NAIVE.reduce(op, x.naive, axes, out.naive);
                        assertSame(op + " " + java.util.Arrays.toString(axes) + " " + t, out, op.isArg() ? 0 : tol(t) * 10);
                    }
                }
            }
        }
    }

    @Test
    void longReductionsAcrossBlocksMatchAPlainLoop() {
        for (DType t : FLOATS) {
            double[] v = Host.rounded(values(10, 2 * 40_000, false, false), t);
            Operand x = Host.operand(t, v, 2, 40_000);
            Operand sum = Host.empty(t, 2, 1);
            Operand arg = Host.empty(DType.INT64, 2, 1);
            Host.CPU.reduce(ReduceOp.SUM, x, new int[] {1}, sum);
            Host.CPU.reduce(ReduceOp.ARGMIN, x, new int[] {1}, arg);
            double[] expectedSum = new double[2];
            double[] expectedArg = new double[2];
            for (int r = 0; r < 2; r++) {
                double best = Double.POSITIVE_INFINITY;
                for (int i = 0; i < 40_000; i++) {
                    double e = v[r * 40_000 + i];
                    expectedSum[r] += e;
                    if (e < best) {
                        best = e;
                        expectedArg[r] = i;
                    }
                }
            }
            Host.assertClose(expectedSum, Host.read(sum), t == DType.FLOAT32 ? 1e-6 : 1e-12);
            assertArrayEquals(expectedArg, Host.read(arg), "argmin " + t);
        }
    }

    @Test
    void softmaxAndLogSoftmaxOfAStridedInput() {
        for (DType t : FLOATS) {
            Twin x = twin(t, values(12, 33 * 7, false, false), 33, 7).view(AgainstNaiveTest::transposed);
            for (boolean log : new boolean[] {false, true}) {
                Twin y = empty(t, 7, 33);
                Host.CPU.softmax(x.cpu, log, y.cpu);
                NAIVE.softmax(x.naive, log, y.naive);
                assertSame("softmax log=" + log + " " + t, y, tol(t));
            }
        }
    }

    @Test
    void gatherAndScatterAddWithRepeatedIndices() {
        for (DType t : DType.values()) {
            for (DType it : new DType[] {DType.INT32, DType.INT64}) {
                double[] idx = new double[4 * 5 * 3];
                for (int i = 0; i < idx.length; i++) {
                    idx[i] = (i * 7) % 6;
                }
                Twin index = twin(it, idx, 4, 5, 3);
                Twin x = twin(t, values(13, 4 * 6 * 3, false, !t.isFloating()), 4, 6, 3);
                Twin out = empty(t, 4, 5, 3);
                Host.CPU.gather(x.cpu, 1, index.cpu, out.cpu);
                NAIVE.gather(x.naive, 1, index.naive, out.naive);
                assertSame("gather " + t + " " + it, out, 0);
                Twin src = twin(t, values(14, 60, false, !t.isFloating()), 4, 5, 3);
                Host.CPU.scatterAdd(src.cpu, 1, index.cpu, x.cpu);
                NAIVE.scatterAdd(src.naive, 1, index.naive, x.naive);
                assertSame("scatterAdd " + t + " " + it, x, tol(t));
            }
        }
    }

    @Test
    void copyBetweenEveryDtypePairThroughAView() {
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                Twin x = twin(from, values(15, 9 * 11, false, false), 9, 11).view(AgainstNaiveTest::transposed);
                Twin out = empty(to, 11, 9);
                Host.CPU.copy(x.cpu, out.cpu);
                NAIVE.copy(x.naive, out.naive);
                assertSame("copy " + from + " -> " + to, out, 0);
            }
        }
    }

    @Test
    void whereFillAndRandom() {
        for (DType t : DType.values()) {
            Twin cond = twin(DType.INT32, values(16, 17, false, true), 17)
                    .view(l -> new Layout(Shape.of(4, 17), new long[] {0, 1}, 0));
            Twin a = twin(t, values(17, 68, false, !t.isFloating()), 4, 17);
            Twin b = twin(t, values(18, 68, false, !t.isFloating()), 4, 17);
            Twin out = empty(t, 4, 17);
            Host.CPU.where(cond.cpu, a.cpu, b.cpu, out.cpu);
            NAIVE.where(cond.naive, a.naive, b.naive, out.naive);
            assertSame("where " + t, out, 0);

            Twin strided = a.view(l -> new Layout(Shape.of(2, 17), new long[] {34, 1}, 0));
            Host.CPU.fill(strided.cpu, -2.5);
            NAIVE.fill(strided.naive, -2.5);
            assertSame("fill " + t, a, 0);

            for (RandomOp op : RandomOp.values()) {
                Twin r = empty(t, 5, 7);
                BiConsumer<Backend, Operand> fill = (be, o) -> be.random(op, 42, 9, 0.25, 3, o);
                fill.accept(Host.CPU, r.cpu);
                fill.accept(NAIVE, r.naive);
                assertSame("random " + op + " " + t, r, 0);
            }
        }
    }
}
