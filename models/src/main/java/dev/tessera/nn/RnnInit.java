package dev.tessera.nn;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.nn.init.Initializer;

/**
 * Keras' default initialisers as the recurrent, embedding and attention layers need them (uniform,
 * glorot-uniform, orthogonal, zeros, LSTM's unit forget bias); package-private until the shared
 * {@code dev.tessera.nn.init} set covers them.
 */
final class RnnInit {
    private RnnInit() {
    }

    static Initializer uniform(double low, double high) {
        return (shape, dtype, device, gen) -> Tensor.uniform(gen, shape, low, high, dtype, device);
    }

    static Initializer zeros() {
        return (shape, dtype, device, gen) -> Tensor.zeros(shape, dtype, device);
    }

    /** U(-l, l) with l = sqrt(6 / (fanIn + fanOut)), fans computed as Keras does (last axis out, the rest in). */
    static Initializer glorotUniform() {
        return (shape, dtype, device, gen) -> {
            double fanIn;
            double fanOut;
            if (shape.rank() == 0) {
                fanIn = 1;
                fanOut = 1;
            } else if (shape.rank() == 1) {
                fanIn = shape.dim(0);
                fanOut = shape.dim(0);
            } else {
                double receptive = shape.numel() / (double) (shape.dim(-2) * shape.dim(-1));
                fanIn = shape.dim(-2) * receptive;
                fanOut = shape.dim(-1) * receptive;
            }
            double limit = Math.sqrt(6.0 / Math.max(1.0, fanIn + fanOut));
            return Tensor.uniform(gen, shape, -limit, limit, dtype, device);
        };
    }

    /**
     * Keras' orthogonal: a standard normal (max(r, c), min(r, c)) matrix, its QR factor Q with the
     * signs of diag(R) folded in, transposed when there are fewer rows than columns; r is the
     * product of all axes but the last.
     */
    static Initializer orthogonal() {
        return (shape, dtype, device, gen) -> {
            long cols = shape.dim(-1);
            long rows = shape.numel() / cols;
            int n = (int) Math.max(rows, cols);
            int k = (int) Math.min(rows, cols);
            double[] a = Tensor.normal(gen, Shape.of(n, k), 0.0, 1.0, DType.FLOAT64, Device.cpu()).toDoubleArray();
            double[] q = orthonormalColumns(a, n, k);
            double[] out = q;
            if (rows < cols) {
                out = new double[n * k];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < k; j++) {
                        out[j * n + i] = q[i * k + j];
                    }
                }
            }
            return Tensor.of(out, shape.toArray()).to(dtype).to(device);
        };
    }

    /** Q of the QR factorisation of the row-major (n, k) matrix a with diag(R) > 0 (twice-repeated Gram-Schmidt). */
    private static double[] orthonormalColumns(double[] a, int n, int k) {
        double[] q = a.clone();
        for (int j = 0; j < k; j++) {
            for (int pass = 0; pass < 2; pass++) {
                for (int p = 0; p < j; p++) {
                    double dot = 0;
                    for (int i = 0; i < n; i++) {
                        dot += q[i * k + p] * q[i * k + j];
                    }
                    for (int i = 0; i < n; i++) {
                        q[i * k + j] -= dot * q[i * k + p];
                    }
                }
            }
            double norm = 0;
            for (int i = 0; i < n; i++) {
                norm += q[i * k + j] * q[i * k + j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) {
                q[i * k + j] /= norm;
            }
        }
        return q;
    }

    /** LSTM's bias with unit_forget_bias: zeros except ones over the forget gate's block [units, 2 units). */
    static Initializer unitForgetBias(int units) {
        return (shape, dtype, device, gen) -> {
            double[] v = new double[(int) shape.numel()];
            for (int i = units; i < 2 * units; i++) {
                v[i] = 1.0;
            }
            return Tensor.of(v, shape.toArray()).to(dtype).to(device);
        };
    }
}
