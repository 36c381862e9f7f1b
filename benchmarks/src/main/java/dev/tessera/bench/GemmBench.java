package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.memory.MemoryScope;
import dev.tessera.random.Generator;
import java.util.concurrent.TimeUnit;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
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
 * Square single-precision matrix products: Tensor.matmul (allocation, checks, dispatch included)
 * against cblas_sgemm called directly on preallocated off-heap buffers, in the same run.
 * GFLOP/s = 2 n^3 / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GemmBench {
    @Param({"256", "512", "1024", "2048"})
    int n;

    Tensor a;
    Tensor b;
    FloatPointer pa;
    FloatPointer pb;
    FloatPointer pc;

    @Setup(Level.Trial)
    public void setup() {
        Generator gen = new Generator(7);
        a = Tensor.uniform(gen, Shape.of(n, n), -1, 1, DType.FLOAT32, Device.cpu());
        b = Tensor.uniform(gen, Shape.of(n, n), -1, 1, DType.FLOAT32, Device.cpu());
        pa = new FloatPointer(a.toFloatArray());
        pb = new FloatPointer(b.toFloatArray());
        pc = new FloatPointer((long) n * n);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        a.close();
        b.close();
        pa.close();
        pb.close();
        pc.close();
    }

    @Benchmark
    public double tesseraMatmul() {
        try (MemoryScope scope = MemoryScope.open()) {
            Tensor c = a.matmul(b);
            return c.numel();
        }
    }

    @Benchmark
    public FloatPointer directSgemm() {
        openblas.cblas_sgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans,
                n, n, n, 1.0f, pa, n, pb, n, 0.0f, pc, n);
        return pc;
    }
}
