package dev.tessera.cpu.kernel;

import dev.tessera.DType;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The convolutions' GEMMs alone: Tessera's panel GEMM against OpenBLAS on the same 64-byte aligned
 * operands, in the same run. It lives in the kernel package because {@link PanelGemm} is not public.
 * Shapes "KIND:M:N:K": nn is c (m x n) = a (m x k) b (k x n); nt the same with b given as its n x k
 * transpose; tn is c (m x n) = a^T b summed over k rows (a filter gradient). GFLOP/s = 2 m n k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(1)
public class PanelGemmBench {
    @Param({"nn:100352:128:48", "nt:100352:48:128", "tn:48:128:100352", "nn:25088:128:130", "nt:25088:130:128",
        "tn:130:128:25088", "nn:25088:512:130", "nt:25088:130:512", "tn:130:512:25088"})
    String shape;

    private String kind;
    private int m;
    private int n;
    private int k;
    private long[] raw;
    private long a;
    private long b;
    private long c;

    @Setup(Level.Trial)
    public void setup() {
        if (!PanelGemm.available()) {
            throw new IllegalStateException(
                    "the panel GEMM does not run on this CPU (see gemm_supported in tessera_gemm.h)");
        }
        String[] p = shape.split(":");
        kind = p[0];
        m = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        k = Integer.parseInt(p[3]);
        raw = new long[3];
        a = aligned(0, (long) m * k, 1);
        b = aligned(1, (long) k * n, 2);
        c = aligned(2, (long) m * n, 3);
    }

    /** count random floats in [-1, 1) at a 64-byte aligned address; the raw block is kept in raw[slot]. */
    private long aligned(int slot, long count, int seed) {
        raw[slot] = Mem.U.allocateMemory(count * 4 + 63);
        long at = (raw[slot] + 63) & -64;
        SplittableRandom r = new SplittableRandom(seed);
        for (long i = 0; i < count; i++) {
            Mem.U.putFloat(at + i * 4, (float) (r.nextDouble() * 2 - 1));
        }
        return at;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        for (long r : raw) {
            Mem.U.freeMemory(r);
        }
    }

    @Benchmark
    public long openBlas() {
        switch (kind) {
            case "nn" -> Blas.gemm(DType.FLOAT32, false, false, m, n, k, 1.0, a, k, b, n, 0.0, c, n);
            case "nt" -> Blas.gemm(DType.FLOAT32, false, true, m, n, k, 1.0, a, k, b, k, 0.0, c, n);
            default -> Blas.gemm(DType.FLOAT32, true, false, m, n, k, 1.0, a, m, b, n, 0.0, c, n);
        }
        return c;
    }

    @Benchmark
    public long panel() {
        switch (kind) {
            case "nn" -> PanelGemm.rows(m, n, k, a, k, b, n, false, c, n);
            case "nt" -> PanelGemm.rows(m, n, k, a, k, b, k, true, c, n);
            default -> PanelGemm.reduce(m, n, k, a, m, b, n, c, false);
        }
        return c;
    }
}
