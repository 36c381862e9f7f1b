package dev.tessera.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tessera.Tensor;
import org.junit.jupiter.api.Test;

/** Batch norm's moving statistics and inference output against direct loops written here. */
class NormalizationTest {
    private static final double[] X = {1, -2, 0.5, 3, 4, -1, 2, 0, -3, 1.5, 2.5, 0.25};
    private static final int ROWS = 4;
    private static final int C = 3;

    @Test
    void trainingUpdatesMovingStatisticsWithThePopulationVariance() {
        Tensor rm = Tensor.of(new double[] {0.1, 0.2, 0.3}, C);
        Tensor rv = Tensor.of(new double[] {1.0, 2.0, 0.5}, C);
        double[] m0 = rm.toDoubleArray();
        double[] v0 = rv.toDoubleArray();
        Tensor y = Normalization.batchNorm(Tensor.of(X, ROWS, C), null, null, rm, rv, 0.9, 1e-3, true);
        double[] expectMean = new double[C];
        double[] expectVar = new double[C];
        double[] expectY = new double[X.length];
        for (int c = 0; c < C; c++) {
            double mean = 0;
            for (int r = 0; r < ROWS; r++) {
                mean += X[r * C + c] / ROWS;
            }
            double var = 0;
            for (int r = 0; r < ROWS; r++) {
                var += (X[r * C + c] - mean) * (X[r * C + c] - mean) / ROWS;
            }
            for (int r = 0; r < ROWS; r++) {
                expectY[r * C + c] = (X[r * C + c] - mean) / Math.sqrt(var + 1e-3);
            }
            expectMean[c] = 0.9 * m0[c] + 0.1 * mean;
            expectVar[c] = 0.9 * v0[c] + 0.1 * var;
        }
        assertArrayEquals(expectMean, rm.toDoubleArray(), 1e-12);
        assertArrayEquals(expectVar, rv.toDoubleArray(), 1e-12);
        assertArrayEquals(expectY, y.toDoubleArray(), 1e-12);
    }

    @Test
    void inferenceUsesTheMovingStatisticsAndLeavesThemAlone() {
        double[] mean = {0.5, -1, 2};
        double[] var = {4, 0.25, 1};
        double[] scale = {2, -1, 0.5};
        double[] bias = {0, 1, -2};
        Tensor rm = Tensor.of(mean, C);
        Tensor rv = Tensor.of(var, C);
        Tensor y = Normalization.batchNorm(Tensor.of(X, ROWS, C), Tensor.of(scale, C), Tensor.of(bias, C), rm, rv, 0.99, 1e-3, false);
        double[] expect = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            int c = i % C;
            expect[i] = (X[i] - mean[c]) / Math.sqrt(var[c] + 1e-3) * scale[c] + bias[c];
        }
        assertArrayEquals(expect, y.toDoubleArray(), 1e-12);
        assertArrayEquals(mean, rm.toDoubleArray());
        assertArrayEquals(var, rv.toDoubleArray());
    }

    @Test
    void trainingOnAnEmptyBatchIsRefusedBeforeTheStatisticsBecomeNaN() {
        Tensor rm = Tensor.zeros(C);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Normalization.batchNorm(Tensor.zeros(0, C), null, null, rm, Tensor.ones(C), 0.9, 1e-3, true));
        assertEquals("batchNorm: training needs at least one element per channel — got input (0, 3)", e.getMessage());
        assertArrayEquals(new float[] {0, 0, 0}, rm.toFloatArray());
    }
}
