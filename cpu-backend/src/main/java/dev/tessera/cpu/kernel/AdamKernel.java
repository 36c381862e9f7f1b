package dev.tessera.cpu.kernel;

import static dev.tessera.cpu.kernel.Mem.U;

import dev.tessera.DType;
import dev.tessera.backend.AdamSpec;
import dev.tessera.backend.Operand;

/**
 * Adam in one pass over contiguous operands, split over the pool by element ranges. Each element
 * goes through the same roundings, in the same order, as the composite of unary and binary kernels
 * (float32 scalar ops in double rounded once), so the fused and composite results are bit-identical
 * for any thread count.
 */
public final class AdamKernel {
    private AdamKernel() {
    }

    /** Runs the fused update and returns true, or returns false when an operand is not contiguous or not FLOAT32/FLOAT64. */
    public static boolean update(AdamSpec spec, Operand param, Operand grad, Operand m, Operand v) {
        DType t = param.dtype();
        if (!t.isFloating() || grad.dtype() != t || m.dtype() != t || v.dtype() != t) {
            return false;
        }
        for (Operand o : new Operand[] {param, grad, m, v}) {
            if (!o.layout().isContiguous() || !o.shape().equals(param.shape())) {
                return false;
            }
        }
        String op = "adamUpdate";
        long w0 = Mem.address(op, param);
        long g0 = Mem.address(op, grad);
        long m0 = Mem.address(op, m);
        long v0 = Mem.address(op, v);
        double c1 = 1.0 - spec.beta1();
        double c2 = 1.0 - spec.beta2();
        double eps = spec.epsilon();
        double alpha = spec.stepSize();
        int size = t.byteSize();
        Parallel.forRange(param.numel(), (start, end) -> {
            long off = start * size;
            if (t == DType.FLOAT32) {
                f32(end - start, w0 + off, g0 + off, m0 + off, v0 + off, c1, c2, eps, alpha);
            } else {
                f64(end - start, w0 + off, g0 + off, m0 + off, v0 + off, c1, c2, eps, alpha);
            }
        });
        return true;
    }

    private static void f32(long n, long w, long g, long m, long v, double c1, double c2, double eps, double alpha) {
        for (long i = 0; i < n; i++, w += 4, g += 4, m += 4, v += 4) {
            float gi = U.getFloat(g);
            float mi = U.getFloat(m);
            float vi = U.getFloat(v);
            mi = mi + (float) (c1 * (gi - mi));
            vi = vi + (float) (c2 * (gi * gi - vi));
            U.putFloat(m, mi);
            U.putFloat(v, vi);
            float den = (float) ((float) Math.sqrt(vi) + eps);
            U.putFloat(w, U.getFloat(w) - (float) (alpha * mi) / den);
        }
    }

    private static void f64(long n, long w, long g, long m, long v, double c1, double c2, double eps, double alpha) {
        for (long i = 0; i < n; i++, w += 8, g += 8, m += 8, v += 8) {
            double gi = U.getDouble(g);
            double mi = U.getDouble(m);
            double vi = U.getDouble(v);
            mi = mi + c1 * (gi - mi);
            vi = vi + c2 * (gi * gi - vi);
            U.putDouble(m, mi);
            U.putDouble(v, vi);
            U.putDouble(w, U.getDouble(w) - alpha * mi / (Math.sqrt(vi) + eps));
        }
    }
}
