package dev.tessera.cpu.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.PoolSpec;
import dev.tessera.backend.UnaryOp;
import dev.tessera.ops.Elementwise;
import dev.tessera.random.Generator;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The native float32 loops give the same bits as the Java kernels they replace, on every layout they take. */
class NativeKernelsTest {
    private static final float[] SPECIAL = {Float.NaN, -Float.NaN, 0f, -0f, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, 1f, -1f, Float.MIN_VALUE, -Float.MAX_VALUE};

    @AfterEach
    void restore() {
        NativeKernels.use(true);
    }

    @Test
    void theLibraryLoadsWhereTheBuildMadeIt() {
        assumeTrue(Loader.getPlatform().equals("linux-x86_64"), "the build compiles the library for linux-x86_64 only");
        assertTrue(NativeKernels.available(), NativeKernels.loadError());
    }

    @Test
    void openBlasThreadsAreToldToSleepSoonUnlessTheEnvironmentSaysOtherwise() {
        assumeTrue(NativeKernels.loaded(), "native kernels not loaded: " + NativeKernels.loadError());
        assumeTrue(System.getenv("OPENBLAS_THREAD_TIMEOUT") == null, "OPENBLAS_THREAD_TIMEOUT is set by the environment");
        assumeTrue(System.getProperty("tessera.cpu.openblasThreadTimeout") == null, "the property overrides it");
        assertTrue(Blas.loadError() == null, Blas.loadError());
        // Blas set it before OpenBLAS loaded, so a second attempt finds it there.
        assertTrue(NativeKernels.setEnvIfUnset("OPENBLAS_THREAD_TIMEOUT", "28") == 0);
    }

    @Test
    void binaryOpsMatchTheJavaKernelsBitForBit() {
        assumeTrue(NativeKernels.available(), "native kernels not loaded: " + NativeKernels.loadError());
        Tensor x = values(1, 3, 37, 129);
        Tensor y = values(2, 3, 37, 129);
        List<Tensor[]> pairs = new ArrayList<>();
        pairs.add(new Tensor[] {x, y});
        pairs.add(new Tensor[] {x, values(3, 129)});
        pairs.add(new Tensor[] {x, values(4, 3, 1, 129)});
        pairs.add(new Tensor[] {x, Tensor.of(0f)});
        pairs.add(new Tensor[] {Tensor.of(0.5f), y});
        pairs.add(new Tensor[] {x.permute(2, 0, 1), y.permute(2, 0, 1)});
        pairs.add(new Tensor[] {values(5, 1, 37, 1), values(6, 3, 1, 129)});
        for (BinaryOp op : BinaryOp.values()) {
            if (op == BinaryOp.POW) {
                continue;
            }
            for (Tensor[] p : pairs) {
                assertSameBits(op + " " + p[0].shape() + " " + p[1].shape(), () -> Elementwise.binary(op, p[0], p[1]));
            }
        }
    }

    @Test
    void unaryOpsMatchTheJavaKernelsBitForBit() {
        assumeTrue(NativeKernels.available(), "native kernels not loaded: " + NativeKernels.loadError());
        Tensor x = values(7, 5, 33, 65);
        // every branch of exp and tanh: tiny, small, moderate and saturated magnitudes of both signs
        Tensor sweep = Tensor.linspace(-120, 120, 48_001, DType.FLOAT32, Device.cpu())
                .mul(Tensor.linspace(-1, 1, 48_001, DType.FLOAT32, Device.cpu()).abs().square());
        for (UnaryOp op : new UnaryOp[] {UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SQRT, UnaryOp.SQUARE, UnaryOp.RECIPROCAL,
            UnaryOp.SCALE, UnaryOp.SHIFT, UnaryOp.RELU, UnaryOp.EXP, UnaryOp.SIGMOID, UnaryOp.TANH}) {
            for (Tensor in : new Tensor[] {x, x.permute(1, 2, 0), x.narrow(2, 3, 40), sweep}) {
                assertSameBits(op + " " + in.shape(), () -> in.unary(op, 0.1));
            }
        }
    }

    @Test
    void rowReductionsMatchTheJavaKernelsBitForBit() {
        assumeTrue(NativeKernels.available(), "native kernels not loaded: " + NativeKernels.loadError());
        Tensor x = values(8, 4, 23, 29, 70);
        Tensor big = values(9, 2, 700, 130);
        for (int[] axes : new int[][] {{0}, {0, 1}, {1, 2}, {1}, {2}, {0, 1, 2}}) {
            assertSameBits("sum " + java.util.Arrays.toString(axes), () -> x.sum(true, axes));
            assertSameBits("max " + java.util.Arrays.toString(axes), () -> x.max(true, axes));
        }
        assertSameBits("sum over many row blocks", () -> big.sum(true, 1));
        assertSameBits("max over many row blocks", () -> big.max(true, 1));
    }

    @Test
    void batchNormMatchesTheJavaKernelBitForBit() {
        assumeTrue(NativeKernels.available(), "native kernels not loaded: " + NativeKernels.loadError());
        Tensor x = values(10, 2, 300, 37);
        Tensor dy = values(11, 2, 300, 37);
        Tensor mean = Tensor.randn(new Generator(12), 37);
        Tensor invStd = Tensor.randn(new Generator(13), 37).abs();
        Tensor scale = Tensor.randn(new Generator(14), 37);
        Tensor bias = Tensor.randn(new Generator(15), 37);
        assertSameBits("batchNorm", () -> {
            Tensor y = Tensor.zeros(2, 300, 37);
            BatchNorm.forward(x.operand(), mean.operand(), invStd.operand(), scale.operand(), bias.operand(), y.operand());
            return y;
        });
        for (boolean training : new boolean[] {true, false}) {
            assertSameBits("batchNormBackward training=" + training, () -> {
                Tensor dx = Tensor.zeros(2, 300, 37);
                Tensor dScale = Tensor.zeros(37);
                Tensor dBias = Tensor.zeros(37);
                BatchNorm.backward(x.operand(), dy.operand(), mean.operand(), invStd.operand(), scale.operand(), training,
                        dx.operand(), dScale.operand(), dBias.operand());
                return Tensor.concat(0, dx.reshape(-1), dScale, dBias);
            });
        }
    }

    @Test
    void poolingMatchesTheJavaKernelBitForBit() {
        assumeTrue(NativeKernels.available(), "native kernels not loaded: " + NativeKernels.loadError());
        Tensor x = values(16, 2, 9, 11, 5);
        for (PoolSpec.Kind kind : PoolSpec.Kind.values()) {
            for (PoolSpec s : new PoolSpec[] {new PoolSpec(kind, 3, 3, 2, 2, 1, 1, 1, 1),
                new PoolSpec(kind, 2, 3, 1, 2, 0, 1, 1, 0), new PoolSpec(kind, 4, 4, 4, 4, 0, 0, 0, 0)}) {
                assertSameBits(s.toString(), () -> {
                    Tensor y = Tensor.zeros(2, s.outH(9), s.outW(11), 5);
                    Pool2d.forward(s, x.operand(), y.operand());
                    return y;
                });
            }
        }
    }

    private static void assertSameBits(String what, Supplier<Tensor> op) {
        NativeKernels.use(true);
        float[] fast = op.get().toFloatArray();
        NativeKernels.use(false);
        float[] java = op.get().toFloatArray();
        NativeKernels.use(true);
        assertArrayEquals(bits(java), bits(fast), what);
    }

    private static int[] bits(float[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.floatToIntBits(v[i]);
        }
        return out;
    }

    /** Normal values with repeats (ties for max/min and comparisons) and the special values sprinkled in. */
    private static Tensor values(long seed, long... dims) {
        float[] v = Tensor.randn(new Generator(seed), dims).toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (i % 11 == 0) {
                v[i] = SPECIAL[(int) ((i / 11 + seed) % SPECIAL.length)];
            } else if (i % 5 == 0) {
                v[i] = Math.round(v[i]);
            }
        }
        return Tensor.of(v, dims);
    }
}
