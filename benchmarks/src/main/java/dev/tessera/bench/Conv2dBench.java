package dev.tessera.bench;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.backend.Conv2dSpec;
import dev.tessera.memory.MemoryScope;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;
import dev.tessera.random.Generator;
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
 * conv2d at the FiLM model's five shapes, batch 8, NHWC/HWIO: forward, forward+backward through autograd, and
 * the two backward kernels alone (backend calls into preallocated gradients).
 * Shapes: "HxWxC-FILTERSxKxK-sS": input, filters and kernel, stride; all 'same' padding.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 4, time = 2)
@Fork(1)
public class Conv2dBench {
    @Param({"224x224x3-128x4x4-s2", "112x112x128-128x4x4-s2", "56x56x130-128x1x1-s1", "56x56x128-128x3x3-s1",
        "56x56x130-512x1x1-s1"})
    String shape;

    static final int BATCH = 8;

    Tensor x;
    Tensor w;
    Tensor upstream;
    Tensor dx;
    Tensor dw;
    Conv2dSpec spec;
    int stride;

    @Setup(Level.Trial)
    public void setup() {
        String[] parts = shape.split("-");
        String[] in = parts[0].split("x");
        String[] k = parts[1].split("x");
        stride = Integer.parseInt(parts[2].substring(1));
        Generator gen = new Generator(3);
        long h = Long.parseLong(in[0]);
        long wd = Long.parseLong(in[1]);
        long c = Long.parseLong(in[2]);
        long f = Long.parseLong(k[0]);
        long kh = Long.parseLong(k[1]);
        x = Tensor.uniform(gen, Shape.of(BATCH, h, wd, c), -1, 1, DType.FLOAT32, Device.cpu()).requiresGrad(true);
        w = Tensor.uniform(gen, Shape.of(kh, kh, c, f), -0.1, 0.1, DType.FLOAT32, Device.cpu()).requiresGrad(true);
        try (MemoryScope s = MemoryScope.open()) {
            Tensor y = conv(x, w);
            upstream = MemoryScope.escape(Tensor.uniform(gen, y.shape(), -1, 1, DType.FLOAT32, Device.cpu()));
        }
        int[] ph = Padding.SAME.amounts(h, (int) kh, stride, 1);
        int[] pw = Padding.SAME.amounts(wd, (int) kh, stride, 1);
        spec = new Conv2dSpec(stride, stride, ph[0], ph[1], pw[0], pw[1], 1, 1);
        dx = Tensor.zeros(x.shape(), DType.FLOAT32, Device.cpu());
        dw = Tensor.zeros(w.shape(), DType.FLOAT32, Device.cpu());
    }

    private Tensor conv(Tensor in, Tensor k) {
        return Conv.conv2d(in, k, new int[] {stride, stride}, Padding.SAME, new int[] {1, 1});
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        x.close();
        w.close();
        upstream.close();
        dx.close();
        dw.close();
    }

    @Benchmark
    public long forward() {
        try (MemoryScope scope = MemoryScope.open(); var g = dev.tessera.autograd.Grad.disabled()) {
            return conv(x, w).numel();
        }
    }

    @Benchmark
    public long forwardBackward() {
        try (MemoryScope scope = MemoryScope.open()) {
            conv(x, w).backward(upstream);
            x.zeroGrad();
            w.zeroGrad();
            return 0;
        }
    }

    /** The backend's data-gradient kernel alone, into a preallocated dx (no autograd, no allocation). */
    @Benchmark
    public long backwardDataKernel() {
        x.backend().conv2dBackwardData(spec, upstream.operand(), w.operand(), dx.operand());
        return dx.numel();
    }

    /** The backend's filter-gradient kernel alone, into a preallocated dw. */
    @Benchmark
    public long backwardFilterKernel() {
        x.backend().conv2dBackwardFilter(spec, x.operand(), upstream.operand(), dw.operand());
        return dw.numel();
    }
}
