package dev.tessera.cuda;

import dev.tessera.DType;
import dev.tessera.Shape;
import dev.tessera.backend.BinaryOp;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.backend.Operand;
import dev.tessera.backend.RandomOp;
import dev.tessera.backend.ReduceOp;
import dev.tessera.backend.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * First throughput figures on a GPU: FP32 GEMM, ResNet-style convolutions in all three directions,
 * an element-wise add and a full sum. Run on the lent machine with
 * {@code bash .gpu-kit/run-on-gpu.sh main dev.tessera.cuda.CudaBench} (add
 * {@code GPU_KIT_JAVA_OPTS=-Dtessera.cuda.tf32=true} for TF32). Prints one line per measurement.
 */
public final class CudaBench {
    private final CudaBackend cuda;
    private final List<Storage> storages = new ArrayList<>();

    private CudaBench(CudaBackend cuda) {
        this.cuda = cuda;
    }

    public static void main(String[] args) {
        CudaBackendProvider p = new CudaBackendProvider();
        if (!p.isAvailable()) {
            System.out.println("CUDA unavailable: " + p.unavailableReason());
            System.exit(1);
        }
        CudaBench b = new CudaBench((CudaBackend) p.open(0));
        System.out.println(b.cuda);
        for (int n : new int[] {1024, 4096}) {
            b.gemm(n);
        }
        b.conv("3x3 same s1", Shape.of(64, 56, 56, 64), Shape.of(3, 3, 64, 64), new Conv2dSpec(1, 1, 1, 1, 1, 1, 1, 1));
        b.conv("3x3 same s2 (asymmetric pad)", Shape.of(64, 56, 56, 64), Shape.of(3, 3, 64, 128),
                new Conv2dSpec(2, 2, 0, 1, 0, 1, 1, 1));
        b.conv("1x1 s1", Shape.of(64, 56, 56, 256), Shape.of(1, 1, 256, 64), new Conv2dSpec(1, 1, 0, 0, 0, 0, 1, 1));
        b.elementwise(1L << 26);
        System.out.println(b.cuda.allocator());
    }

    private Operand random(Shape s) {
        Storage st = cuda.allocate(DType.FLOAT32, s.numel());
        storages.add(st);
        Operand o = Operand.contiguous(st, s);
        cuda.random(RandomOp.UNIFORM, 1, storages.size() * (1L << 32), -1, 1, o);
        return o;
    }

    /** Median seconds of {@code reps} timed runs after 3 warm-up runs. */
    private double time(int reps, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        cuda.synchronize();
        double[] t = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            cuda.synchronize();
            t[i] = (System.nanoTime() - t0) * 1e-9;
        }
        java.util.Arrays.sort(t);
        return t[reps / 2];
    }

    private void gemm(int n) {
        Operand a = random(Shape.of(1, n, n));
        Operand b = random(Shape.of(1, n, n));
        Operand c = random(Shape.of(1, n, n));
        double s = time(10, () -> cuda.gemm(a, b, c));
        report("gemm f32 " + n + "^3", s, 2.0 * n * n * n / s / 1e9 + " GFLOP/s");
    }

    private void conv(String name, Shape x, Shape w, Conv2dSpec spec) {
        long oh = spec.outH(x.dim(1), w.dim(0));
        long ow = spec.outW(x.dim(2), w.dim(1));
        Shape y = Shape.of(x.dim(0), oh, ow, w.dim(3));
        Operand xo = random(x);
        Operand wo = random(w);
        Operand yo = random(y);
        double flops = 2.0 * y.numel() * w.dim(0) * w.dim(1) * w.dim(2);
        double f = time(10, () -> cuda.conv2d(spec, xo, wo, yo));
        report("conv2d " + name + " " + x + " * " + w, f, flops / f / 1e9 + " GFLOP/s");
        double d = time(10, () -> cuda.conv2dBackwardData(spec, yo, wo, xo));
        report("conv2dBackwardData " + name, d, flops / d / 1e9 + " GFLOP/s");
        double k = time(10, () -> cuda.conv2dBackwardFilter(spec, xo, yo, wo));
        report("conv2dBackwardFilter " + name, k, flops / k / 1e9 + " GFLOP/s");
    }

    private void elementwise(long n) {
        Operand a = random(Shape.of(n));
        Operand b = random(Shape.of(n));
        Operand c = random(Shape.of(n));
        double s = time(10, () -> cuda.binary(BinaryOp.ADD, a, b, c));
        report("binary add f32 x " + n, s, 12.0 * n / s / 1e9 + " GB/s");
        Operand sum = random(Shape.of(1));
        double r = time(10, () -> cuda.reduce(ReduceOp.SUM, a, new int[] {0}, sum));
        report("reduce sum f32 x " + n, r, 4.0 * n / r / 1e9 + " GB/s");
    }

    private static void report(String what, double seconds, String rate) {
        System.out.println(String.format(Locale.ROOT, "%-60s %9.3f ms  %s", what, seconds * 1e3, rate));
    }
}
