package dev.tessera.nn.init;

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

/** Keras' fan rules, bounds and variances of each initialiser, orthogonality, and seeded determinism. */
class InitializerTest {

    private static double[] draw(Initializer init, long... dims) {
        return init.create(Shape.of(dims), DType.FLOAT64, Device.cpu(), new Generator(7)).toDoubleArray();
    }

    private static double variance(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        return Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElse(0);
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }

    @Test
    void fansFollowKerasForDenseAndHwioKernels() {
        assertEquals(new Fans(64, 10), Fans.of(Shape.of(64, 10)));
        assertEquals(new Fans(4 * 4 * 3, 4 * 4 * 128), Fans.of(Shape.of(4, 4, 3, 128)));
        assertEquals(new Fans(7, 7), Fans.of(Shape.of(7)));
        assertEquals(new Fans(1, 1), Fans.of(Shape.scalar()));
    }

    @Test
    void glorotUniformStaysWithinItsLimitWithTheUniformVariance() {
        double[] v = draw(Initializer.glorotUniform(), 3, 3, 40, 60);
        double limit = Math.sqrt(6.0 / (9 * 40 + 9 * 60));
        assertTrue(maxAbs(v) <= limit);
        assertTrue(maxAbs(v) > 0.95 * limit);
        assertEquals(limit * limit / 3, variance(v), 0.03 * limit * limit / 3);
    }

    @Test
    void heUniformUsesFanIn() {
        double[] v = draw(Initializer.heUniform(), 200, 50);
        assertTrue(maxAbs(v) <= Math.sqrt(6.0 / 200));
        assertEquals(2.0 / 200, variance(v), 0.05 * 2.0 / 200);
    }

    @Test
    void truncatedNormalsAreCutAtTwoStddevsAndKeepTheTargetVariance() {
        // He normal: target variance 2 / fan_in; the stddev before truncation is divided by .8796.
        double[] v = draw(Initializer.heNormal(), 300, 100);
        double std = Math.sqrt(2.0 / 300) / .87962566103423978;
        assertTrue(maxAbs(v) <= 2 * std);
        assertEquals(2.0 / 300, variance(v), 0.05 * 2.0 / 300);
        double[] g = draw(Initializer.glorotNormal(), 100, 300);
        assertEquals(2.0 / 400, variance(g), 0.05 * 2.0 / 400);
        double[] l = draw(Initializer.lecunNormal(), 3, 3, 20, 50);
        assertEquals(1.0 / 180, variance(l), 0.05 / 180);
    }

    @Test
    void orthogonalGivesOrthonormalRowsOrColumns() {
        for (long[] dims : new long[][] {{12, 5}, {5, 12}, {2, 3, 8}}) {
            Tensor w = Initializer.orthogonal(2.0).create(Shape.of(dims), DType.FLOAT64, Device.cpu(), new Generator(3));
            Tensor m = w.reshape(-1, dims[dims.length - 1]);
            Tensor gram = m.dim(0) >= m.dim(1) ? m.mT().matmul(m) : m.matmul(m.mT());
            double[] g = gram.toDoubleArray();
            int n = (int) Math.sqrt(g.length);
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    assertEquals(i == j ? 4.0 : 0.0, g[i * n + j], 1e-12, Arrays.toString(dims));
                }
            }
        }
        assertThrows(IllegalArgumentException.class,
                () -> Initializer.orthogonal().create(Shape.of(4), DType.FLOAT32, Device.cpu(), new Generator(1)));
    }

    @Test
    void constantsAndRangesAreExact() {
        assertArrayEquals(new double[] {0, 0, 0}, draw(Initializer.zeros(), 3));
        assertArrayEquals(new double[] {1, 1}, draw(Initializer.ones(), 2));
        assertArrayEquals(new double[] {0.25, 0.25}, draw(Initializer.constant(0.25), 2));
        double[] u = draw(Initializer.randomUniform(-0.05, 0.05), 1000);
        assertTrue(Arrays.stream(u).allMatch(x -> x >= -0.05 && x < 0.05));
        double[] t = draw(Initializer.truncatedNormal(1.0, 0.5), 1000);
        assertTrue(Arrays.stream(t).allMatch(x -> x >= 0.0 && x <= 2.0));
        assertThrows(IllegalArgumentException.class, () -> Initializer.randomUniform(1, 1));
    }

    @Test
    void theSameSeedGivesTheSameWeights() {
        for (Initializer init : new Initializer[] {Initializer.glorotUniform(), Initializer.heNormal(), Initializer.orthogonal()}) {
            assertArrayEquals(draw(init, 6, 4), draw(init, 6, 4));
            double[] other = init.create(Shape.of(6, 4), DType.FLOAT64, Device.cpu(), new Generator(8)).toDoubleArray();
            assertFalse(Arrays.equals(draw(init, 6, 4), other));
        }
    }
}
