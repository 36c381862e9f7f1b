package dev.tessera.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tessera.Device;
import dev.tessera.Tensor;
import dev.tessera.backend.Backends;
import dev.tessera.ops.Conv;
import dev.tessera.ops.Padding;
import org.junit.jupiter.api.Test;

/** Tensor ops and autograd end to end on the backend that ServiceLoader picks for the CPU. */
class TensorOnCpuTest {

    @Test
    void serviceLoaderPicksTheCpuBackend() {
        assertSame(CpuBackend.instance(), Backends.forDevice(Device.cpu()));
        assertSame(CpuBackend.instance(), Tensor.of(1f, 2f).backend());
    }

    @Test
    void affineSumAndItsGradients() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).requiresGrad(true);
        Tensor w = Tensor.of(new float[] {1, 0, -1, 2, 0.5f, 1}, 3, 2).requiresGrad(true);
        Tensor b = Tensor.of(new float[] {10, 20}, 2).requiresGrad(true);
        Tensor y = x.matmul(w).add(b);
        // rows: [1 - 2 + 1.5 + 10, 0 + 4 + 3 + 20] and [4 - 5 + 3 + 10, 0 + 10 + 6 + 20]
        assertArrayEquals(new float[] {10.5f, 27f, 12f, 36f}, y.toFloatArray());
        Tensor loss = y.sum();
        assertEquals(85.5, loss.item(), 1e-6);
        loss.backward();
        // d/dx = ones(2, 2) x w^T; d/dw = x^T x ones(2, 2); d/db = column counts
        assertArrayEquals(new float[] {1, 1, 1.5f, 1, 1, 1.5f}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {5, 5, 7, 7, 9, 9}, w.grad().toFloatArray());
        assertArrayEquals(new float[] {2, 2}, b.grad().toFloatArray());
    }

    @Test
    void transposedMatmulUsesTheSameMemory() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Tensor c = a.mT().matmul(a);
        assertArrayEquals(new double[] {35, 44, 44, 56}, c.toDoubleArray(), 1e-12);
    }

    @Test
    void convolutionGradientOfASumCountsWindowHits() {
        Tensor x = Tensor.ones(1, 4, 4, 1).requiresGrad(true);
        Tensor w = Tensor.ones(3, 3, 1, 1).requiresGrad(true);
        Tensor y = Conv.conv2d(x, w, new int[] {1, 1}, Padding.SAME, new int[] {1, 1});
        y.sum().backward();
        // each input pixel is seen by as many windows as it has in-bounds neighbours (itself included)
        assertArrayEquals(new float[] {4, 6, 6, 4, 6, 9, 9, 6, 6, 9, 9, 6, 4, 6, 6, 4}, x.grad().toFloatArray());
        assertArrayEquals(new float[] {9, 12, 9, 12, 16, 12, 9, 12, 9}, w.grad().toFloatArray());
    }
}
