package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.random.Generator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** zeros/ones/full, arange, linspace, Java arrays of every dtype, and seeded random fills. */
class CreationTest {
    private static final Device CPU = Device.cpu();

    @Test
    void constantFillsHaveTheirDtypeAndValue() {
        assertArrayEquals(new float[6], Tensor.zeros(2, 3).toFloatArray());
        assertArrayEquals(new double[] {1, 1}, Tensor.ones(Shape.of(2), DType.FLOAT64, CPU).toDoubleArray());
        Tensor f = Tensor.full(Shape.of(2, 2), 7.9, DType.INT32, CPU);
        assertEquals(DType.INT32, f.dtype());
        assertArrayEquals(new int[] {7, 7, 7, 7}, f.toIntArray());
        assertEquals(Shape.scalar(), Tensor.scalar(2.5).shape());
    }

    @Test
    void aStreamOfHostValuesFillsChunkByChunkInRowMajorOrder() {
        for (int n : new int[] {0, 1, Creation.HOST_CHUNK, 2 * Creation.HOST_CHUNK + 5}) {
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                expected[i] = i * 0.5 - 3;
            }
            for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT32}) {
                int[] next = {0};
                Tensor streamed = Creation.fromDoubleStream(Shape.of(n == 0 ? 0 : 1, n), t, CPU,
                        () -> next[0]++ * 0.5 - 3);
                assertEquals(n, next[0], "each value is drawn once");
                assertEquals(Shape.of(n == 0 ? 0 : 1, n), streamed.shape());
                assertEquals(t, streamed.dtype());
                assertArrayEquals(Creation.fromDoubles(expected, Shape.of(n), t, CPU).toDoubleArray(),
                        streamed.toDoubleArray(), t + " n=" + n);
            }
        }
    }

    @Test
    void arangeAndLinspaceMatchNumPy() {
        assertArrayEquals(new long[] {0, 1, 2, 3}, Tensor.arange(4).toLongArray());
        assertArrayEquals(new double[] {1, 1.5, 2, 2.5}, Tensor.arange(1, 3, 0.5, DType.FLOAT64, CPU).toDoubleArray());
        assertArrayEquals(new double[] {5, 3, 1}, Tensor.arange(5, 0, -2, DType.FLOAT64, CPU).toDoubleArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensor.linspace(0, 1, 5, DType.FLOAT64, CPU).toDoubleArray());
        assertArrayEquals(new double[] {3}, Tensor.linspace(3, 9, 1, DType.FLOAT64, CPU).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> Tensor.arange(0, 1, 0, DType.FLOAT32, CPU));
    }

    @Test
    void javaArraysOfEveryDtypeRoundTrip() {
        assertArrayEquals(new float[] {1.5f, -2}, Tensor.of(new float[] {1.5f, -2}, 2, 1).toFloatArray());
        assertArrayEquals(new double[] {1e-300, 3}, Tensor.of(new double[] {1e-300, 3}, 2).toDoubleArray());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 5}, Tensor.of(new int[] {Integer.MIN_VALUE, 5}, 2).toIntArray());
        assertArrayEquals(new long[] {Long.MAX_VALUE, -1}, Tensor.of(new long[] {Long.MAX_VALUE, -1}, 1, 2).toLongArray());
    }

    @Test
    void sameSeedGivesTheSameDrawsAndTheGeneratorMovesOn() {
        Generator g1 = new Generator(42);
        Generator g2 = new Generator(42);
        float[] a = Tensor.rand(g1, 1000).toFloatArray();
        assertArrayEquals(a, Tensor.rand(g2, 1000).toFloatArray());
        assertFalse(Arrays.equals(a, Tensor.rand(g1, 1000).toFloatArray()), "a second draw repeated the first");
        assertFalse(Arrays.equals(a, Tensor.rand(new Generator(43), 1000).toFloatArray()), "another seed repeated the draw");
    }

    @Test
    void uniformAndNormalHaveTheirRangeAndMoments() {
        int n = 20_000;
        double[] u = Tensor.uniform(new Generator(1), Shape.of(n), -2, 3, DType.FLOAT64, CPU).toDoubleArray();
        assertTrue(Arrays.stream(u).allMatch(v -> v >= -2 && v < 3), "uniform value outside [-2, 3)");
        assertEquals(0.5, Arrays.stream(u).average().orElseThrow(), 0.05);
        double[] z = Tensor.normal(new Generator(2), Shape.of(n), 1, 2, DType.FLOAT64, CPU).toDoubleArray();
        double mean = Arrays.stream(z).average().orElseThrow();
        double var = Arrays.stream(z).map(v -> (v - mean) * (v - mean)).sum() / n;
        assertEquals(1, mean, 0.05);
        assertEquals(4, var, 0.15);
        assertEquals(Shape.of(3, 4), Tensor.randn(new Generator(3), 3, 4).shape());
        double ones = Tensor.bernoulli(new Generator(4), Shape.of(n), 0.3, DType.FLOAT32, CPU).sum().item();
        assertEquals(0.3 * n, ones, 0.02 * n);
    }
}
