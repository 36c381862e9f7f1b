package dev.tessera.nn.init;

import dev.tessera.DType;
import dev.tessera.Device;
import dev.tessera.Shape;
import dev.tessera.Tensor;
import dev.tessera.ops.Creation;
import dev.tessera.random.Generator;

/**
 * Keras' Orthogonal: the weight is viewed as a (rows, cols) matrix with cols the last axis, a
 * normal matrix of shape (max, min) is factored as QR, Q's columns are multiplied by the signs of
 * R's diagonal (so the result does not depend on the QR algorithm), transposed when rows < cols,
 * and scaled by the gain.
 */
public record Orthogonal(double gain) implements Initializer {

    @Override
    public Tensor create(Shape shape, DType dtype, Device device, Generator gen) {
        if (shape.rank() < 2) {
            throw new IllegalArgumentException("Orthogonal: the shape must have rank >= 2 — Received: shape=" + shape);
        }
        int cols = Math.toIntExact(shape.dim(-1));
        int rows = Math.toIntExact(shape.numel() / Math.max(cols, 1));
        int m = Math.max(rows, cols);
        int n = Math.min(rows, cols);
        double[] a = Tensor.normal(gen, Shape.of(m, n), 0.0, 1.0, DType.FLOAT64, Device.cpu()).toDoubleArray();
        double[][] q = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                q[j][i] = a[i * n + j];
            }
        }
        // Modified Gram-Schmidt gives Q with R's diagonal positive, which is what the sign fix makes unique.
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < j; k++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += q[k][i] * q[j][i];
                }
                for (int i = 0; i < m; i++) {
                    q[j][i] -= dot * q[k][i];
                }
            }
            double norm = 0;
            for (int i = 0; i < m; i++) {
                norm += q[j][i] * q[j][i];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < m; i++) {
                q[j][i] /= norm;
            }
        }
        double[] out = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
            }
        }
        return Creation.fromDoubles(out, shape, dtype, device);
    }
}
