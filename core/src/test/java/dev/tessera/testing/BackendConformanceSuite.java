package dev.tessera.testing;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Backend;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.UnaryOp;
import dev.tessera.testing.HostOperand.Variant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@link Backend} primitive compared with {@link NaiveBackend} on awkward layouts (transposed,
 * stride-0 broadcast, sliced with an offset), size-1, empty and odd-sized dimensions, in FLOAT32
 * and FLOAT64. A backend module subclasses it and returns its backend; a missing or throwing
 * primitive fails its tests. Outputs start at a storage offset, and the storage around them must be
 * left as it was.
 */
public abstract class BackendConformanceSuite {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};
    private static final Variant[] INPUT_VARIANTS = {Variant.CONTIGUOUS, Variant.TRANSPOSED, Variant.BROADCAST, Variant.SLICED};
    private static final Variant[] DENSE_VARIANTS = {Variant.CONTIGUOUS, Variant.TRANSPOSED, Variant.SLICED};
    private static final Shape[] ELEMENTWISE_SHAPES = {
        Shape.scalar(), Shape.of(1), Shape.of(7), Shape.of(1025), Shape.of(3, 7), Shape.of(1, 33),
        Shape.of(0, 3), Shape.of(3, 0), Shape.of(2, 3, 5), Shape.of(4, 1, 3)
    };

    private final NaiveBackend naive = new NaiveBackend();

    /** The backend under test. */
    protected abstract Backend backend();

    /** Runs one primitive on a backend, given the uploaded operands in order. */
    @FunctionalInterface
    protected interface Call {
        void run(Backend backend, Operand[] operands);
    }

    /** Allowed error: |actual - expected| <= atol + rtol * |expected|. */
    protected record Tolerance(double rtol, double atol) {
        /** For results built from {@code terms} rounded operations (sums, products, dot products). */
        static Tolerance of(DType dtype, long terms) {
            long k = Math.max(1, terms);
            return dtype == DType.FLOAT64 ? new Tolerance(1e-11 + 1e-15 * k, 1e-13 * k)
                    : new Tolerance(1e-5 + 1e-7 * k, 1e-6 * k);
        }
    }

    /**
     * Uploads {@code operands} to the backend under test and to the naive backend, runs {@code call}
     * on both and compares the whole storages of the operands listed in {@code outputs}: the output
     * view first (so a failure names its index), then every other slot.
     */
    protected void check(String what, HostOperand[] operands, int[] outputs, Tolerance tol, Call call) {
        double[][] expected = run(naive, operands, outputs, call);
        double[][] actual = run(backend(), operands, outputs, call);
        for (int k = 0; k < outputs.length; k++) {
            Layout l = operands[outputs[k]].layout();
            String name = what + ", output " + k;
            TensorAssert.assertClose(HostOperand.elements(actual[k], l), l.shape(), HostOperand.elements(expected[k], l),
                    l.shape(), tol.rtol(), tol.atol(), name);
            TensorAssert.assertClose(actual[k], Shape.of(actual[k].length), expected[k], Shape.of(expected[k].length),
                    tol.rtol(), tol.atol(), name + " (whole storage, offsets and gaps included)");
        }
    }

    private static double[][] run(Backend b, HostOperand[] operands, int[] outputs, Call call) {
        Operand[] ops = new Operand[operands.length];
        try {
            for (int i = 0; i < ops.length; i++) {
                ops[i] = operands[i].upload(b);
            }
            call.run(b, ops);
            b.synchronize();
            double[][] out = new double[outputs.length][];
            for (int k = 0; k < outputs.length; k++) {
                out[k] = HostOperand.download(b, ops[outputs[k]].storage());
            }
            return out;
        } finally {
            for (Operand o : ops) {
                if (o != null) {
                    o.storage().release();
                }
            }
        }
    }

    private static SplittableRandom rnd(String what) {
        return new SplittableRandom(what.hashCode());
    }

    // ---- copy and fill --------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> copyCastsBetweenAllDtypesAndLayouts() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType from : DType.values()) {
            for (DType to : DType.values()) {
                for (Variant vs : INPUT_VARIANTS) {
                    for (Variant vd : DENSE_VARIANTS) {
                        String name = "copy " + from + " " + vs + " -> " + to + " " + vd;
                        tests.add(dynamicTest(name, () -> {
                            for (Shape s : ELEMENTWISE_SHAPES) {
                                SplittableRandom r = rnd(name + s);
                                Domain d = from.isFloating() ? Domain.ANY : Domain.INTEGER;
                                HostOperand src = HostOperand.random(from, s, vs, d, r);
                                HostOperand dst = HostOperand.random(to, s, vd, Domain.ANY, r);
                                check(name + " " + s, new HostOperand[] {src, dst}, new int[] {1}, Tolerance.of(to, 1),
                                        (b, o) -> b.copy(o[0], o[1]));
                            }
                        }));
                    }
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> fillSetsEveryElementOfAnyLayout() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : DType.values()) {
            for (Variant v : DENSE_VARIANTS) {
                for (double value : new double[] {0.0, -1.75, 2.5}) {
                    String name = "fill " + dt + " " + v + " " + value;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : ELEMENTWISE_SHAPES) {
                            HostOperand dst = HostOperand.random(dt, s, v, Domain.ANY, rnd(name + s));
                            check(name + " " + s, new HostOperand[] {dst}, new int[] {0}, Tolerance.of(dt, 1),
                                    (b, o) -> b.fill(o[0], value));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- element-wise ---------------------------------------------------------------------

    /** Inputs inside the op's domain. */
    static Domain domain(UnaryOp op) {
        return switch (op) {
            case LOG, SQRT, RECIPROCAL, POW_SCALAR -> Domain.POSITIVE;
            default -> Domain.ANY;
        };
    }

    /** A representative alpha for the ops that read it. */
    static double alpha(UnaryOp op) {
        return switch (op) {
            case POW_SCALAR -> 1.7;
            case SCALE -> -0.75;
            case SHIFT -> 1.25;
            case LEAKY_RELU -> 0.1;
            case ELU -> 1.3;
            default -> 0.0;
        };
    }

    @TestFactory
    Stream<DynamicTest> unaryMatchesForEveryOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            for (DType dt : FLOATS) {
                for (Variant v : INPUT_VARIANTS) {
                    String name = "unary " + op + " " + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : ELEMENTWISE_SHAPES) {
                            SplittableRandom r = rnd(name + s);
                            HostOperand x = HostOperand.random(dt, s, v, domain(op), r);
                            check(name + " " + s, new HostOperand[] {x, HostOperand.output(dt, s, r)}, new int[] {1},
                                    Tolerance.of(dt, 1), (b, o) -> b.unary(op, o[0], o[1], alpha(op)));
                        }
                        HostOperand inPlace = HostOperand.random(dt, Shape.of(3, 7), Variant.CONTIGUOUS, domain(op), rnd(name));
                        check(name + " in place", new HostOperand[] {inPlace}, new int[] {0}, Tolerance.of(dt, 1),
                                (b, o) -> b.unary(op, o[0], o[0], alpha(op)));
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> binaryMatchesForEveryOp() {
        List<DynamicTest> tests = new ArrayList<>();
        for (BinaryOp op : BinaryOp.values()) {
            Domain da = op == BinaryOp.POW ? Domain.POSITIVE : op.isComparison() ? Domain.INTEGER : Domain.ANY;
            Domain db = op == BinaryOp.DIV ? Domain.POSITIVE : op.isComparison() ? Domain.INTEGER : Domain.ANY;
            for (DType dt : FLOATS) {
                for (int vi = 0; vi < INPUT_VARIANTS.length; vi++) {
                    Variant va = INPUT_VARIANTS[vi];
                    Variant vb = INPUT_VARIANTS[(vi + 1) % INPUT_VARIANTS.length];
                    String name = "binary " + op + " " + dt + " " + va + " with " + vb;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : ELEMENTWISE_SHAPES) {
                            SplittableRandom r = rnd(name + s);
                            HostOperand a = HostOperand.random(dt, s, va, da, r);
                            HostOperand b = HostOperand.random(dt, s, vb, db, r);
                            check(name + " " + s, new HostOperand[] {a, b, HostOperand.output(dt, s, r)}, new int[] {2},
                                    Tolerance.of(dt, 1), (be, o) -> be.binary(op, o[0], o[1], o[2]));
                        }
                        HostOperand a = HostOperand.random(dt, Shape.of(3, 7), Variant.CONTIGUOUS, da, rnd(name));
                        HostOperand b = HostOperand.random(dt, Shape.of(3, 7), vb, db, rnd(name + "b"));
                        check(name + " in place", new HostOperand[] {a, b}, new int[] {0}, Tolerance.of(dt, 1),
                                (be, o) -> be.binary(op, o[0], o[1], o[0]));
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> adamUpdateMatchesTheDefaultComposite() {
        List<DynamicTest> tests = new ArrayList<>();
        AdamSpec[] specs = {new AdamSpec(0.01, 0.9, 0.999, 1e-7, 1), new AdamSpec(3e-4, 0.8, 0.99, 1e-3, 17)};
        for (DType dt : FLOATS) {
            for (int vi = 0; vi < INPUT_VARIANTS.length; vi++) {
                Variant vg = INPUT_VARIANTS[vi];
                Variant vs = DENSE_VARIANTS[vi % DENSE_VARIANTS.length];
                String name = "adamUpdate " + dt + " grad " + vg + ", state " + vs;
                tests.add(dynamicTest(name, () -> {
                    List<Shape> shapes = new ArrayList<>(List.of(ELEMENTWISE_SHAPES));
                    shapes.add(Shape.of(3, 40_001));
                    for (Shape s : shapes) {
                        for (AdamSpec spec : specs) {
                            SplittableRandom r = rnd(name + s + spec.step());
                            HostOperand w = HostOperand.random(dt, s, vs, Domain.ANY, r);
                            HostOperand g = HostOperand.random(dt, s, vg, Domain.ANY, r);
                            HostOperand m = HostOperand.random(dt, s, vs, Domain.UNIT, r);
                            HostOperand v = HostOperand.random(dt, s, vs, Domain.POSITIVE, r);
                            check(name + " " + s + " step " + spec.step(), new HostOperand[] {w, g, m, v},
                                    new int[] {0, 2, 3}, Tolerance.of(dt, 12),
                                    (b, o) -> b.adamUpdate(spec, o[0], o[1], o[2], o[3]));
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> whereSelectsWithConditionsOfAnyDtype() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType condType : DType.values()) {
            for (DType dt : FLOATS) {
                for (Variant v : INPUT_VARIANTS) {
                    String name = "where cond " + condType + ", " + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : ELEMENTWISE_SHAPES) {
                            SplittableRandom r = rnd(name + s);
                            HostOperand c = HostOperand.random(condType, s, v, Domain.INTEGER, r);
                            HostOperand a = HostOperand.random(dt, s, Variant.SLICED, Domain.ANY, r);
                            HostOperand b = HostOperand.random(dt, s, v, Domain.ANY, r);
                            check(name + " " + s, new HostOperand[] {c, a, b, HostOperand.output(dt, s, r)}, new int[] {3},
                                    Tolerance.of(dt, 1), (be, o) -> be.where(o[0], o[1], o[2], o[3]));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- reductions -----------------------------------------------------------------------

    private static List<int[]> axisSets(int rank, boolean single) {
        List<int[]> sets = new ArrayList<>();
        for (int a = 0; a < rank; a++) {
            sets.add(new int[] {a});
        }
        if (!single) {
            if (rank >= 3) {
                sets.add(new int[] {0, 2});
                sets.add(new int[] {1, 2});
            }
            if (rank >= 2) {
                int[] all = new int[rank];
                for (int a = 0; a < rank; a++) {
                    all[a] = a;
                }
                sets.add(all);
            }
        }
        return sets;
    }

    @TestFactory
    Stream<DynamicTest> reduceMatchesForEveryOpAndAxisSet() {
        Shape[] shapes = {Shape.of(7), Shape.of(1025), Shape.of(3, 7), Shape.of(1, 33), Shape.of(2, 3, 5),
            Shape.of(4, 1, 3), Shape.of(3, 0), Shape.of(0, 4, 2), Shape.of(2, 33, 3)};
        List<DynamicTest> tests = new ArrayList<>();
        for (ReduceOp op : ReduceOp.values()) {
            for (DType dt : FLOATS) {
                for (Variant v : INPUT_VARIANTS) {
                    String name = "reduce " + op + " " + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : shapes) {
                            boolean needsElements = op != ReduceOp.SUM && op != ReduceOp.PROD;
                            if (needsElements && s.numel() == 0) {
                                continue; // NOTE: core refuses these before calling the backend (no identity).
                            }
                            for (int[] axes : axisSets(s.rank(), op.isArg())) {
                                long[] kept = s.toArray();
                                long terms = 1;
                                for (int a : axes) {
                                    terms *= kept[a];
                                    kept[a] = 1;
                                }
                                String c = name + " " + s + " axes " + java.util.Arrays.toString(axes);
                                SplittableRandom r = rnd(c);
                                Domain d = op == ReduceOp.PROD ? Domain.NEAR_ONE : Domain.ANY;
                                DType outType = op.isArg() ? DType.INT64 : dt;
                                HostOperand x = HostOperand.random(dt, s, v, d, r);
                                HostOperand out = HostOperand.output(outType, Shape.of(kept), r);
                                check(c, new HostOperand[] {x, out}, new int[] {1}, Tolerance.of(dt, terms),
                                        (b, o) -> b.reduce(op, o[0], axes, o[1]));
                            }
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- gemm -----------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> gemmMatchesOnStridedTransposedAndBroadcastBatches() {
        long[][] sizes = {{1, 1, 1, 1}, {1, 3, 7, 5}, {2, 7, 33, 3}, {3, 1, 1025, 1}, {1, 33, 1, 7}, {2, 0, 3, 4},
            {1, 3, 0, 4}, {1, 4, 5, 0}, {4, 5, 6, 7}};
        Variant[] variants = {Variant.CONTIGUOUS, Variant.MATRIX_TRANSPOSED, Variant.TRANSPOSED, Variant.BROADCAST, Variant.SLICED};
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : FLOATS) {
            for (Variant va : variants) {
                for (Variant vb : variants) {
                    String name = "gemm " + dt + " a " + va + ", b " + vb;
                    tests.add(dynamicTest(name, () -> {
                        for (long[] z : sizes) {
                            String c = name + " (B, M, K, N) = " + java.util.Arrays.toString(z);
                            SplittableRandom r = rnd(c);
                            HostOperand a = HostOperand.random(dt, Shape.of(z[0], z[1], z[2]), va, Domain.ANY, r);
                            HostOperand b = HostOperand.random(dt, Shape.of(z[0], z[2], z[3]), vb, Domain.ANY, r);
                            HostOperand out = HostOperand.output(dt, Shape.of(z[0], z[1], z[3]), r);
                            check(c, new HostOperand[] {a, b, out}, new int[] {2}, Tolerance.of(dt, z[2]),
                                    (be, o) -> be.gemm(o[0], o[1], o[2]));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- convolution ----------------------------------------------------------------------

    /** One convolution geometry: input (N, H, W, C), kernel (KH, KW, C, O) and the spec. */
    private record ConvCase(long n, long h, long w, long c, long kh, long kw, long o, Conv2dSpec spec) {
        Shape x() {
            return Shape.of(n, h, w, c);
        }

        Shape kernel() {
            return Shape.of(kh, kw, c, o);
        }

        Shape y() {
            return Shape.of(n, spec.outH(h, kh), spec.outW(w, kw), o);
        }

        @Override
        public String toString() {
            return "x " + x() + " w " + kernel() + " " + spec;
        }
    }

    private static final ConvCase[] CONV_CASES = {
        new ConvCase(1, 5, 5, 1, 3, 3, 1, new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1)),
        new ConvCase(2, 7, 6, 3, 3, 2, 4, new Conv2dSpec(2, 2, 1, 0, 2, 1, 1, 1)),
        new ConvCase(1, 9, 7, 2, 3, 3, 3, new Conv2dSpec(1, 1, 2, 2, 2, 2, 2, 2)),
        new ConvCase(2, 8, 9, 3, 1, 1, 5, new Conv2dSpec(2, 2, 0, 0, 0, 0, 1, 1)),
        new ConvCase(1, 11, 10, 3, 5, 3, 2, new Conv2dSpec(2, 3, 2, 1, 0, 1, 2, 1)),
        new ConvCase(3, 3, 7, 1, 3, 1, 1, new Conv2dSpec(1, 2, 1, 1, 0, 0, 1, 1)),
        new ConvCase(0, 5, 5, 2, 3, 3, 2, new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1))
    };

    @TestFactory
    Stream<DynamicTest> conv2dAndBothBackwardKernelsMatch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : FLOATS) {
            for (Variant v : DENSE_VARIANTS) {
                for (String kernel : new String[] {"conv2d", "conv2dBackwardData", "conv2dBackwardFilter"}) {
                    String name = kernel + " " + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (ConvCase cc : CONV_CASES) {
                            String c = name + " " + cc;
                            SplittableRandom r = rnd(c);
                            HostOperand x = HostOperand.random(dt, cc.x(), v, Domain.ANY, r);
                            HostOperand w = HostOperand.random(dt, cc.kernel(), v, Domain.ANY, r);
                            HostOperand dy = HostOperand.random(dt, cc.y(), v, Domain.ANY, r);
                            Conv2dSpec sp = cc.spec();
                            long terms = switch (kernel) {
                                case "conv2d" -> cc.kh() * cc.kw() * cc.c();
                                case "conv2dBackwardData" -> cc.kh() * cc.kw() * cc.o();
                                default -> cc.y().numel() / Math.max(1, cc.o());
                            };
                            Tolerance tol = Tolerance.of(dt, terms);
                            switch (kernel) {
                                case "conv2d" -> check(c, new HostOperand[] {x, w, HostOperand.output(dt, cc.y(), r)},
                                        new int[] {2}, tol, (b, o) -> b.conv2d(sp, o[0], o[1], o[2]));
                                case "conv2dBackwardData" -> check(c, new HostOperand[] {dy, w, HostOperand.output(dt, cc.x(), r)},
                                        new int[] {2}, tol, (b, o) -> b.conv2dBackwardData(sp, o[0], o[1], o[2]));
                                default -> check(c, new HostOperand[] {x, dy, HostOperand.output(dt, cc.kernel(), r)},
                                        new int[] {2}, tol, (b, o) -> b.conv2dBackwardFilter(sp, o[0], o[1], o[2]));
                            }
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- pooling --------------------------------------------------------------------------

    private static final long[][] POOL_INPUTS = {{1, 4, 4, 1}, {2, 7, 5, 3}, {1, 6, 7, 2}, {2, 5, 5, 4}, {0, 4, 4, 2}, {1, 33, 3, 1}};
    private static final int[][] POOL_GEOMETRY = {
        {2, 2, 2, 2, 0, 0, 0, 0}, {3, 3, 2, 2, 1, 1, 1, 1}, {3, 2, 1, 2, 0, 2, 1, 0}, {2, 2, 1, 1, 1, 0, 0, 1}
    };

    @TestFactory
    Stream<DynamicTest> pool2dAndBackwardMatchWithPadding() {
        List<DynamicTest> tests = new ArrayList<>();
        for (PoolSpec.Kind kind : PoolSpec.Kind.values()) {
            for (DType dt : FLOATS) {
                for (Variant v : DENSE_VARIANTS) {
                    String name = "pool2d " + kind + " " + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (long[] in : POOL_INPUTS) {
                            for (int[] g : POOL_GEOMETRY) {
                                PoolSpec sp = new PoolSpec(kind, g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7]);
                                Shape xs = Shape.of(in);
                                Shape ys = Shape.of(in[0], sp.outH(in[1]), sp.outW(in[2]), in[3]);
                                String c = name + " x " + xs + " " + sp;
                                SplittableRandom r = rnd(c);
                                HostOperand x = HostOperand.random(dt, xs, v, Domain.ANY, r);
                                HostOperand y = HostOperand.output(dt, ys, r);
                                Tolerance tol = Tolerance.of(dt, (long) g[0] * g[1]);
                                check(c, new HostOperand[] {x, y}, new int[] {1}, tol, (b, o) -> b.pool2d(sp, o[0], o[1]));
                                HostOperand pooled = pooled(sp, x, ys);
                                HostOperand dy = HostOperand.random(dt, ys, v, Domain.ANY, r);
                                check(c + " backward", new HostOperand[] {x, pooled, dy, HostOperand.output(dt, xs, r)},
                                        new int[] {3}, tol, (b, o) -> b.pool2dBackward(sp, o[0], o[1], o[2], o[3]));
                            }
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** The naive forward result, handed to both backends' backward kernels. */
    private HostOperand pooled(PoolSpec sp, HostOperand x, Shape ys) {
        HostOperand y = HostOperand.of(x.dtype(), ys, new double[Math.toIntExact(ys.numel())]);
        double[] values = run(naive, new HostOperand[] {x, y}, new int[] {1}, (b, o) -> b.pool2d(sp, o[0], o[1]))[0];
        return HostOperand.of(x.dtype(), ys, values);
    }

    // ---- batch normalisation --------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> batchNormAndBackwardMatchInTrainingAndInference() {
        Shape[] shapes = {Shape.of(4, 3), Shape.of(2, 5, 5, 3), Shape.of(7, 1), Shape.of(33, 7), Shape.of(0, 3), Shape.of(1, 1025)};
        List<DynamicTest> tests = new ArrayList<>();
        for (DType dt : FLOATS) {
            for (Variant v : DENSE_VARIANTS) {
                for (boolean training : new boolean[] {true, false}) {
                    String name = "batchNorm " + dt + " " + v + (training ? " training" : " inference");
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : shapes) {
                            String c = name + " " + s;
                            SplittableRandom r = rnd(c);
                            Shape ch = Shape.of(s.dim(-1));
                            HostOperand x = HostOperand.random(dt, s, v, Domain.ANY, r);
                            HostOperand[] stats = training ? batchStats(x) : new HostOperand[] {
                                HostOperand.random(dt, ch, Variant.CONTIGUOUS, Domain.UNIT, r),
                                HostOperand.random(dt, ch, Variant.CONTIGUOUS, Domain.POSITIVE, r)};
                            HostOperand scale = HostOperand.random(dt, ch, Variant.SLICED, Domain.ANY, r);
                            HostOperand bias = HostOperand.random(dt, ch, Variant.CONTIGUOUS, Domain.ANY, r);
                            HostOperand dy = HostOperand.random(dt, s, v, Domain.ANY, r);
                            long perChannel = s.numel() / Math.max(1, s.dim(-1));
                            // NOTE: a one-element channel has invStd ~ 32 and dx cancels to ~0, so allow float noise times invStd.
                            Tolerance tol = Tolerance.of(dt, perChannel + 64);
                            check(c + " forward", new HostOperand[] {x, stats[0], stats[1], scale, bias, HostOperand.output(dt, s, r)},
                                    new int[] {5}, Tolerance.of(dt, 1), (b, o) -> b.batchNorm(o[0], o[1], o[2], o[3], o[4], o[5]));
                            check(c + " backward", new HostOperand[] {x, dy, stats[0], stats[1], scale,
                                HostOperand.output(dt, s, r), HostOperand.output(dt, ch, r), HostOperand.output(dt, ch, r)},
                                    new int[] {5, 6, 7}, tol,
                                    (b, o) -> b.batchNormBackward(o[0], o[1], o[2], o[3], o[4], training, o[5], o[6], o[7]));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** Per-channel mean and 1 / sqrt(variance + 1e-3) of x, as training would pass them. */
    private static HostOperand[] batchStats(HostOperand x) {
        double[] e = x.elements();
        int c = Math.toIntExact(x.shape().dim(-1));
        double[] mean = new double[c];
        double[] var = new double[c];
        long per = c == 0 ? 0 : e.length / c;
        for (int i = 0; i < e.length; i++) {
            mean[i % c] += e[i] / per;
        }
        for (int i = 0; i < e.length; i++) {
            var[i % c] += (e[i] - mean[i % c]) * (e[i] - mean[i % c]) / per;
        }
        double[] inv = new double[c];
        for (int k = 0; k < c; k++) {
            inv[k] = 1.0 / Math.sqrt(var[k] + 1e-3);
        }
        Shape ch = Shape.of(c);
        return new HostOperand[] {HostOperand.of(x.dtype(), ch, mean), HostOperand.of(x.dtype(), ch, inv)};
    }

    // ---- softmax --------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> softmaxAndLogSoftmaxMatchOverTheLastAxis() {
        Shape[] shapes = {Shape.of(7), Shape.of(3, 7), Shape.of(2, 3, 33), Shape.of(1, 1025), Shape.of(4, 1), Shape.of(0, 5), Shape.of(3, 0)};
        List<DynamicTest> tests = new ArrayList<>();
        for (boolean log : new boolean[] {false, true}) {
            for (DType dt : FLOATS) {
                for (Variant v : INPUT_VARIANTS) {
                    String name = (log ? "logSoftmax " : "softmax ") + dt + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : shapes) {
                            SplittableRandom r = rnd(name + s);
                            HostOperand x = HostOperand.random(dt, s, v, Domain.ANY, r);
                            check(name + " " + s, new HostOperand[] {x, HostOperand.output(dt, s, r)}, new int[] {1},
                                    Tolerance.of(dt, s.dim(-1)), (b, o) -> b.softmax(o[0], log, o[1]));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    // ---- gather and scatter-add -----------------------------------------------------------

    /** Input shape, axis and index shape. */
    private record GatherCase(Shape x, int axis, Shape index) {
    }

    private static final GatherCase[] GATHER_CASES = {
        new GatherCase(Shape.of(5, 7), 0, Shape.of(3, 7)),
        new GatherCase(Shape.of(5, 7), 1, Shape.of(5, 4)),
        new GatherCase(Shape.of(3, 4, 5), 1, Shape.of(2, 6, 3)),
        new GatherCase(Shape.of(1025), 0, Shape.of(33)),
        new GatherCase(Shape.of(4, 1), 1, Shape.of(4, 3)),
        new GatherCase(Shape.of(3, 5), 1, Shape.of(3, 0))
    };

    /** Random in-range indices of {@code dtype} for gathering along {@code axis} of {@code x}. */
    private static HostOperand indices(DType dtype, GatherCase gc, Variant v, SplittableRandom r) {
        HostOperand shapeOnly = HostOperand.random(dtype, gc.index(), v, Domain.ANY, r);
        double[] values = new double[shapeOnly.values().length];
        for (int i = 0; i < values.length; i++) {
            values[i] = r.nextLong(gc.x().dim(gc.axis()));
        }
        return new HostOperand(dtype, values, shapeOnly.layout());
    }

    @TestFactory
    Stream<DynamicTest> gatherAndScatterAddMatchWithInt32AndInt64Indices() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType it : new DType[] {DType.INT32, DType.INT64}) {
            for (DType dt : FLOATS) {
                for (Variant v : INPUT_VARIANTS) {
                    String name = "gather/scatterAdd " + dt + " index " + it + " " + v;
                    tests.add(dynamicTest(name, () -> {
                        for (GatherCase gc : GATHER_CASES) {
                            String c = name + " " + gc;
                            SplittableRandom r = rnd(c);
                            HostOperand x = HostOperand.random(dt, gc.x(), v, Domain.ANY, r);
                            HostOperand idx = indices(it, gc, v, r);
                            HostOperand src = HostOperand.random(dt, gc.index(), v == Variant.BROADCAST ? Variant.SLICED : v, Domain.ANY, r);
                            int axis = gc.axis();
                            check(c + " gather", new HostOperand[] {x, idx, HostOperand.output(dt, gc.index(), r)}, new int[] {2},
                                    Tolerance.of(dt, 1), (b, o) -> b.gather(o[0], axis, o[1], o[2]));
                            check(c + " scatterAdd", new HostOperand[] {src, idx, HostOperand.output(dt, gc.x(), r)}, new int[] {2},
                                    Tolerance.of(dt, gc.index().numel()), (b, o) -> b.scatterAdd(o[0], axis, o[1], o[2]));
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> outOfRangeIndicesThrowIllegalArgumentException() {
        List<DynamicTest> tests = new ArrayList<>();
        for (DType it : new DType[] {DType.INT32, DType.INT64}) {
            for (long bad : new long[] {5, -1}) {
                tests.add(dynamicTest("gather and scatterAdd reject index " + bad + " (" + it + ")", () -> {
                    Backend b = backend();
                    HostOperand x = HostOperand.random(DType.FLOAT32, Shape.of(5, 3), Variant.CONTIGUOUS, Domain.ANY, rnd("oob"));
                    HostOperand idx = HostOperand.of(it, Shape.of(2, 3), new double[] {0, 1, 2, 3, bad, 4});
                    HostOperand src = HostOperand.random(DType.FLOAT32, Shape.of(2, 3), Variant.CONTIGUOUS, Domain.ANY, rnd("src"));
                    Operand xo = x.upload(b);
                    Operand io = idx.upload(b);
                    Operand so = src.upload(b);
                    Operand out = HostOperand.output(DType.FLOAT32, Shape.of(2, 3), rnd("out")).upload(b);
                    try {
                        assertThrows(IllegalArgumentException.class, () -> {
                            b.gather(xo, 0, io, out);
                            b.synchronize();
                        });
                        assertThrows(IllegalArgumentException.class, () -> {
                            b.scatterAdd(so, 0, io, xo);
                            b.synchronize();
                        });
                    } finally {
                        for (Operand o : new Operand[] {xo, io, so, out}) {
                            o.storage().release();
                        }
                    }
                }));
            }
        }
        return tests.stream();
    }

    // ---- random ---------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> randomFillsMatchToFloatRounding() {
        Shape[] shapes = {Shape.of(1), Shape.of(7), Shape.of(1025), Shape.of(3, 33), Shape.of(0)};
        long[][] streams = {{42, 0}, {-7, 12345}, {1L << 40, 3}};
        List<DynamicTest> tests = new ArrayList<>();
        for (RandomOp op : RandomOp.values()) {
            for (DType dt : FLOATS) {
                for (Variant v : new Variant[] {Variant.CONTIGUOUS, Variant.SLICED}) {
                    String name = "random " + op + " " + dt + " " + v;
                    double a = op == RandomOp.BERNOULLI ? 0.3 : op == RandomOp.NORMAL ? 0.5 : -2.0;
                    double b = op == RandomOp.NORMAL ? 2.0 : 3.0;
                    // NOTE: one float ulp is up to 1.2e-7 relative; float64 allows the device's log/cos a few ulps.
                    Tolerance tol = dt == DType.FLOAT32 ? new Tolerance(2.5e-7, 1e-7) : new Tolerance(1e-12, 1e-13);
                    tests.add(dynamicTest(name, () -> {
                        for (Shape s : shapes) {
                            for (long[] st : streams) {
                                SplittableRandom r = rnd(name + s);
                                HostOperand out = v == Variant.CONTIGUOUS ? HostOperand.output(dt, s, r)
                                        : HostOperand.random(dt, s, v, Domain.ANY, r);
                                check(name + " " + s + " seed " + st[0] + " counter " + st[1], new HostOperand[] {out},
                                        new int[] {0}, tol, (be, o) -> be.random(op, st[0], st[1], a, b, o[0]));
                            }
                        }
                    }));
                }
            }
        }
        return tests.stream();
    }
}
