package dev.tessera.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Layout;
import dev.tessera.Shape;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomBits;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.Storage;
import dev.tessera.cuda.kernel.KernelNames;
import dev.tessera.cuda.kernel.KernelSources;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device checks that do not depend on core's conformance suite: NVRTC builds every kernel, random
 * fills equal {@link RandomBits} bit for bit, GEMM reads transposed operands, 'same' convolutions
 * with stride 2 (asymmetric padding) match direct loops in all three directions, the allocator
 * reuses blocks, and bad indices raise IllegalArgumentException. Skipped without a GPU (see {@link Gpu}).
 */
class CudaBackendGpuTest {
    private CudaBackend cuda;
    private final List<Storage> storages = new ArrayList<>();

    @BeforeEach
    void open() {
        cuda = Gpu.backend();
    }

    @AfterEach
    void release() {
        storages.forEach(Storage::release);
        storages.clear();
    }

    private Operand upload(DType dt, Shape shape, double[] values) {
        Storage s = cuda.allocate(dt, values.length);
        storages.add(s);
        Object host = switch (dt) {
            case FLOAT32 -> {
                float[] f = new float[values.length];
                for (int i = 0; i < f.length; i++) {
                    f[i] = (float) values[i];
                }
                yield f;
            }
            case FLOAT64 -> values.clone();
            case INT32 -> java.util.Arrays.stream(values).mapToInt(v -> (int) v).toArray();
            case INT64 -> java.util.Arrays.stream(values).mapToLong(v -> (long) v).toArray();
        };
        cuda.copyFromHost(host, s);
        return Operand.contiguous(s, shape);
    }

    private Operand empty(DType dt, Shape shape) {
        Storage s = cuda.allocate(dt, shape.numel());
        storages.add(s);
        return Operand.contiguous(s, shape);
    }

    private double[] download(Operand o) {
        int n = Math.toIntExact(o.storage().numel());
        double[] out = new double[n];
        switch (o.dtype()) {
            case FLOAT32 -> {
                float[] f = new float[n];
                cuda.copyToHost(o.storage(), f);
                for (int i = 0; i < n; i++) {
                    out[i] = f[i];
                }
            }
            case FLOAT64 -> cuda.copyToHost(o.storage(), out);
            case INT32 -> {
                int[] a = new int[n];
                cuda.copyToHost(o.storage(), a);
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
            case INT64 -> {
                long[] a = new long[n];
                cuda.copyToHost(o.storage(), a);
                for (int i = 0; i < n; i++) {
                    out[i] = a[i];
                }
            }
        }
        return out;
    }

    private static double[] random(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextDouble(-1, 1);
        }
        return v;
    }

    private static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]) / Math.max(1.0, Math.abs(want[i]));
            assertTrue(err <= tol, what + ": element " + i + " is " + got[i] + ", want " + want[i]);
        }
    }

    @Test
    void nvrtcBuildsEveryKernelForTheDevice() {
        CudaDevice dev = cuda.cudaDevice();
        dev.makeCurrent();
        for (String family : KernelSources.FAMILIES) {
            for (String name : KernelNames.of(family)) {
                assertFalse(dev.kernels.function(family, name).isNull(), name);
            }
        }
    }

    @Test
    void copiesRoundTripEveryDtype() {
        double[] v = {0, 1, -2, 3, 1 << 20, -7};
        for (DType dt : DType.values()) {
            assertArrayEquals(v, download(upload(dt, Shape.of(6), v)), dt.toString());
        }
    }

    @Test
    void randomFillsEqualRandomBits() {
        int n = 1031;
        long seed = -7;
        long counter = 12345;
        for (RandomOp op : RandomOp.values()) {
            double a = op == RandomOp.BERNOULLI ? 0.3 : op == RandomOp.NORMAL ? 0.5 : -2.0;
            double b = op == RandomOp.NORMAL ? 2.0 : 3.0;
            Operand out = empty(DType.FLOAT64, Shape.of(n));
            cuda.random(op, seed, counter, a, b, out);
            double[] got = download(out);
            for (int i = 0; i < n; i++) {
                double want = RandomBits.sample(op, seed, counter, i, a, b);
                if (op == RandomOp.NORMAL) {
                    assertEquals(want, got[i], 1e-12 * Math.max(1, Math.abs(want)), op + " element " + i);
                } else {
                    assertEquals(want, got[i], 0.0, op + " element " + i);
                }
            }
        }
    }

    @Test
    void gemmReadsTransposedOperandsThroughTheirStrides() {
        int m = 37;
        int k = 53;
        int n = 29;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[] av = random(m * k, 1);
            double[] bv = random(k * n, 2);
            // a stored as (K, M) and read transposed; b row-major
            double[] at = new double[k * m];
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    at[p * m + i] = av[i * k + p];
                }
            }
            Operand aT = upload(dt, Shape.of(k, m), at);
            Operand a = new Operand(aT.storage(), new Layout(Shape.of(1, m, k), new long[] {0, 1, m}, 0));
            Operand b = new Operand(upload(dt, Shape.of(k, n), bv).storage(), new Layout(Shape.of(1, k, n),
                    new long[] {0, n, 1}, 0));
            Operand out = empty(dt, Shape.of(1, m, n));
            cuda.gemm(a, b, out);
            double[] want = new double[m * n];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < k; p++) {
                        want[i * n + j] += av[i * k + p] * bv[p * n + j];
                    }
                }
            }
            assertClose(want, download(out), dt == DType.FLOAT32 ? 1e-5 : 1e-12, "gemm " + dt);
        }
    }

    /** Direct loops: y[n][p][q][o] = sum x[n][p*s - top + i*d][q*s - left + j*d][c] * w[i][j][c][o]. */
    private static double[] convLoops(Conv2dSpec sp, int nb, int h, int w, int c, int kh, int kw, int o, double[] x,
                                      double[] k, double[] dy, double[] dx, double[] dk) {
        int oh = (int) sp.outH(h, kh);
        int ow = (int) sp.outW(w, kw);
        double[] y = new double[nb * oh * ow * o];
        for (int b = 0; b < nb; b++) {
            for (int p = 0; p < oh; p++) {
                for (int q = 0; q < ow; q++) {
                    for (int i = 0; i < kh; i++) {
                        for (int j = 0; j < kw; j++) {
                            int r = p * sp.strideH() - sp.padTop() + i * sp.dilationH();
                            int s = q * sp.strideW() - sp.padLeft() + j * sp.dilationW();
                            if (r < 0 || r >= h || s < 0 || s >= w) {
                                continue;
                            }
                            for (int ci = 0; ci < c; ci++) {
                                for (int oi = 0; oi < o; oi++) {
                                    int xi = ((b * h + r) * w + s) * c + ci;
                                    int ki = ((i * kw + j) * c + ci) * o + oi;
                                    int yi = ((b * oh + p) * ow + q) * o + oi;
                                    y[yi] += x[xi] * k[ki];
                                    dx[xi] += dy[yi] * k[ki];
                                    dk[ki] += dy[yi] * x[xi];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    @Test
    void convolutionsWithTensorflowSamePaddingMatchDirectLoops() {
        // 'same' for 9x8 input, 3x3 kernel, stride 2: pads (1, 1) rows and (0, 1) columns.
        Conv2dSpec same = new Conv2dSpec(2, 2, 1, 1, 0, 1, 1, 1);
        int nb = 2;
        int h = 9;
        int w = 8;
        int c = 3;
        int kh = 3;
        int kw = 3;
        int o = 5;
        int oh = (int) same.outH(h, kh);
        int ow = (int) same.outW(w, kw);
        double[] x = random(nb * h * w * c, 3);
        double[] k = random(kh * kw * c * o, 4);
        double[] dy = random(nb * oh * ow * o, 5);
        double[] dx = new double[x.length];
        double[] dk = new double[k.length];
        double[] y = convLoops(same, nb, h, w, c, kh, kw, o, x, k, dy, dx, dk);
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double tol = dt == DType.FLOAT32 ? 1e-4 : 1e-11;
            Operand xo = upload(dt, Shape.of(nb, h, w, c), x);
            Operand ko = upload(dt, Shape.of(kh, kw, c, o), k);
            Operand dyo = upload(dt, Shape.of(nb, oh, ow, o), dy);
            Operand yo = empty(dt, Shape.of(nb, oh, ow, o));
            Operand dxo = empty(dt, Shape.of(nb, h, w, c));
            Operand dko = empty(dt, Shape.of(kh, kw, c, o));
            cuda.conv2d(same, xo, ko, yo);
            cuda.conv2dBackwardData(same, dyo, ko, dxo);
            cuda.conv2dBackwardFilter(same, xo, dyo, dko);
            assertClose(y, download(yo), tol, "conv2d " + dt);
            assertClose(dx, download(dxo), tol, "conv2dBackwardData " + dt);
            assertClose(dk, download(dko), tol, "conv2dBackwardFilter " + dt);
        }
    }

    @Test
    void theAllocatorReusesBlocksAcrossSteps() {
        for (int step = 0; step < 3; step++) {
            Storage a = cuda.allocate(DType.FLOAT32, 1000);
            Storage b = cuda.allocate(DType.FLOAT32, 250_000);
            long before = cuda.allocator().deviceAllocations();
            a.release();
            b.release();
            if (step > 0) {
                assertEquals(before, cuda.allocator().deviceAllocations(), "step " + step + " called cudaMalloc");
            }
        }
        assertTrue(cuda.allocator().bytesCached() >= 1_000_000, cuda.allocator().toString());
        cuda.emptyCache();
        assertEquals(0, cuda.allocator().bytesCached());
    }

    @Test
    void outOfRangeGatherIndexRaisesIllegalArgumentException() {
        Operand x = upload(DType.FLOAT32, Shape.of(5, 3), random(15, 6));
        Operand idx = upload(DType.INT64, Shape.of(2, 3), new double[] {0, 1, 2, 3, 9, 4});
        Operand out = empty(DType.FLOAT32, Shape.of(2, 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cuda.gather(x, 0, idx, out));
        assertTrue(e.getMessage().contains("got 9"), e.getMessage());
    }

    @Test
    void tf32IsOffUnlessAsked() {
        assertEquals(Boolean.getBoolean("tessera.cuda.tf32"), cuda.tf32());
        System.out.println("CUDA backend under test: " + cuda + ", compute capability " + cuda.computeCapability());
    }
}
