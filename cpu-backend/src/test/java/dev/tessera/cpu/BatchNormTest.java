package dev.tessera.cpu;

import static dev.tessera.cpu.Host.CPU;
import static dev.tessera.cpu.Host.assertClose;
import static dev.tessera.cpu.Host.operand;
import static dev.tessera.cpu.Host.random;
import static dev.tessera.cpu.Host.read;
import static dev.tessera.cpu.Host.rounded;
import static dev.tessera.cpu.Host.tol;

import dev.tessera.DType;
import dev.tessera.backend.Operand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Batch normalisation and its gradients against the Backend javadoc's formulas in direct loops. */
class BatchNormTest {
    private static final int ROWS = 3 * 5 * 7;
    private static final int C = 5;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
    void forwardAndBackwardMatchFormulas(DType t) {
        double[] x = rounded(random(11, ROWS * C), t);
        double[] dy = rounded(random(12, ROWS * C), t);
        double[] scale = rounded(random(13, C), t);
        double[] bias = rounded(random(14, C), t);
        double[] mean = new double[C];
        double[] invStd = new double[C];
        for (int c = 0; c < C; c++) {
            double s = 0;
            double sq = 0;
            for (int r = 0; r < ROWS; r++) {
                s += x[r * C + c];
                sq += x[r * C + c] * x[r * C + c];
            }
            mean[c] = s / ROWS;
            invStd[c] = 1 / Math.sqrt(sq / ROWS - mean[c] * mean[c] + 1e-3);
        }
        mean = rounded(mean, t);
        invStd = rounded(invStd, t);

        double[] y = new double[x.length];
        double[] dBias = new double[C];
        double[] dScale = new double[C];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < C; c++) {
                double xhat = (x[r * C + c] - mean[c]) * invStd[c];
                y[r * C + c] = xhat * scale[c] + bias[c];
                dBias[c] += dy[r * C + c];
                dScale[c] += dy[r * C + c] * xhat;
            }
        }
        double[] dxTrain = new double[x.length];
        double[] dxInfer = new double[x.length];
        for (int r = 0; r < ROWS; r++) {
            for (int c = 0; c < C; c++) {
                double xhat = (x[r * C + c] - mean[c]) * invStd[c];
                double g = dy[r * C + c];
                dxTrain[r * C + c] = scale[c] * invStd[c] * (g - dBias[c] / ROWS - xhat * dScale[c] / ROWS);
                dxInfer[r * C + c] = g * scale[c] * invStd[c];
            }
        }

        Operand ox = operand(t, x, 3, 5, 7, C);
        Operand om = operand(t, mean, C);
        Operand os = operand(t, invStd, C);
        Operand osc = operand(t, scale, C);
        Operand ob = operand(t, bias, C);
        Operand oy = Host.empty(t, 3, 5, 7, C);
        CPU.batchNorm(ox, om, os, osc, ob, oy);
        assertClose(y, read(oy), tol(t));

        Operand ody = operand(t, dy, 3, 5, 7, C);
        for (boolean training : new boolean[] {true, false}) {
            Operand dx = Host.empty(t, 3, 5, 7, C);
            Operand ds = Host.empty(t, C);
            Operand db = Host.empty(t, C);
            CPU.batchNormBackward(ox, ody, om, os, osc, training, dx, ds, db);
            assertClose(training ? dxTrain : dxInfer, read(dx), 10 * tol(t));
            assertClose(dScale, read(ds), 10 * tol(t));
            assertClose(dBias, read(db), 10 * tol(t));
        }
    }
}
